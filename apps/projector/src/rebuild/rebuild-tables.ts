import type { INestApplication } from '@nestjs/common';
import { STREAM_PARTITIONS, eventStreamName, partitionConsumerName, type StreamPartition } from '@runtrail/contracts';
import { JetStreamServer, NatsClient, connectJetStream, partitionEnds, partitionsBehind } from '@runtrail/messaging';
import {
  LIVE_SCHEMA,
  PAUSE_PROJECTION_SQL,
  createSchemaSql,
  deadLettersTable,
  ensureTimePartitions,
  openDatabase,
  projectorCheckpointsTable,
  schemaIdentifier,
  swapTablesSql,
} from '@runtrail/persistence';
import { createHttpApp } from '@runtrail/platform';
import { Client } from 'pg';
import type { Logger } from 'pino';
import { createProjectorModule } from '../app.module';
import { ProjectorConfig } from '../config/projector.config';
import { projectorConsumerName } from '../projection/projection-names';
import { RebuiltRoots, type RootMismatch } from './rebuilt-roots';
import { carryRemovedPrefixes } from './removed-prefixes';

export interface RebuildReport {
  /** Where the replaced tables are kept until an operator drops them. */
  replacedSchema: string;
  /** The last stream sequence the rebuilt tables held when they were swapped in. */
  lastSeq: number;
  /** Signed checkpoints whose root the rebuilt log reproduced. */
  checkpointsChecked: number;
  seconds: number;
}

/** The rebuilt log differs from what was signed: nothing is swapped, the rebuilt schema is kept to look into. */
export class RebuildMismatchError extends Error {
  constructor(
    readonly schema: string,
    readonly mismatches: RootMismatch[],
  ) {
    const first = mismatches[0] as RootMismatch;
    super(
      `the rebuilt log does not reproduce ${mismatches.length} signed checkpoint(s), first: tenant ${first.tenantId} at size ${first.size} ` +
        `(rebuilt log: ${first.rebuiltSize} leaves); nothing was swapped; the rebuilt tables are in schema ${schema}`,
    );
  }
}

const DEAD_LETTER_COLUMNS = deadLettersTable.columnList();

/**
 * Rebuilds every projected table from the stream and swaps the result in while the services
 * run (docs/reliability.md#rebuild):
 *
 * 1. a schema of its own, migrated like `public`, with the live dead letters copied in (they
 *    stay dead letters, see SettledDeadLetters);
 * 2. the projector itself, on a consumer of its own from sequence 1, into that schema, until
 *    it holds everything the stream held when the rebuild started;
 * 3. the rebuilt log checked against every signed checkpoint;
 * 4. in one transaction: the live projector paused between batches, the rebuild caught up
 *    to the stream's end, the checkpoints signed meanwhile checked, the tables moved. Queries
 *    keep reading the live tables throughout and wait only for the moves.
 */
export async function rebuildTables(config: ProjectorConfig, log: Logger): Promise<RebuildReport> {
  const started = Date.now();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const schema = `rebuild_${stamp}`;
  const replacedSchema = `replaced_${stamp}`;
  const consumer = `${projectorConsumerName(config)}-rebuild-${stamp}`;
  const stream = eventStreamName(config.RUNTRAIL_NAMESPACE);

  const db = new Client({ connectionString: config.DATABASE_URL, application_name: 'runtrail-rebuild' });
  await db.connect();
  const nats = await NatsClient.connect({ servers: config.natsServers, name: 'runtrail-rebuild', waitOnFirstConnect: false }, log);
  let app: INestApplication | undefined;
  let keepSchema = false;
  try {
    const state = (await nats.jsm.streams.info(stream)).state;
    // Retention purges the start of the stream; what it removed is carried over below. Anything else missing there is lost rows.
    if (state.messages > 0 && state.first_seq > 1 && !(await retentionRemoved(db))) {
      throw new Error(`the stream ${stream} no longer holds everything from sequence 1 (it starts at ${state.first_seq}); a rebuild would drop rows`);
    }
    const settled = await prepareSchema(db, config, schema);
    const carried = await carryRemovedPrefixes(db, schema);
    log.info({ schema, consumer, settledDeadLetters: settled.size, removedPrefixesCarried: carried, target: state.last_seq }, 'rebuild: projecting the stream into a fresh schema');

    app = await createHttpApp(createProjectorModule(withConsumer(config, consumer), { schema, settledDeadLetters: settled }));
    await connectJetStream(app, app.get(JetStreamServer));
    const projected = () => checkpointsOf(db, schema);
    await projectedUpTo(await partitionEnds(nats, config.RUNTRAIL_NAMESPACE), consumer, projected, (behind) => log.info({ behind, target: state.last_seq }, 'rebuild: projecting'));
    log.info({ partitions: await partitionByMonth(config, schema) }, 'rebuild: rows of past months moved into their month partitions');

    const roots = new RebuiltRoots(db, schema);
    const failOn = (mismatches: RootMismatch[]) => {
      if (!mismatches.length) return;
      keepSchema = true;
      throw new RebuildMismatchError(schema, mismatches);
    };
    failOn(await roots.check(false));
    log.info({ checkpoints: roots.checked }, 'rebuild: the rebuilt log has every signed root; swapping');

    await db.query('BEGIN');
    let lastSeq = 0;
    try {
      // Queries wait for each move; one holding a table longer than this fails the swap, not the queries.
      await db.query(`SET LOCAL lock_timeout = '30s'`);
      await db.query(PAUSE_PROJECTION_SQL);
      const ends = await partitionEnds(nats, config.RUNTRAIL_NAMESPACE);
      await projectedUpTo(ends, consumer, projected, (behind) => log.info({ behind }, 'rebuild: catching up'));
      await app.close();
      app = undefined;
      failOn(await roots.check(true));
      const rebuilt = await projected();
      lastSeq = Math.max(0, ...ends.values());
      await takeOverCheckpoints(db, schema, rebuilt, consumer, projectorConsumerName(config));
      for (const sql of swapTablesSql(schema, replacedSchema)) await db.query(sql);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK');
      throw err;
    }
    return { replacedSchema, lastSeq, checkpointsChecked: roots.checked, seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await app?.close();
    for (const p of STREAM_PARTITIONS) await nats.jsm.consumers.delete(stream, partitionConsumerName(consumer, p)).catch(() => undefined);
    // What is left of it after a swap: its copy of the migrations and of the (kept) checkpoints table.
    if (!keepSchema) await db.query(`DROP SCHEMA IF EXISTS ${schemaIdentifier(schema)} CASCADE`);
    await db.end();
    await nats.nc.close();
  }
}

/**
 * The replayed rows of months before the rebuild started fell into the DEFAULT partitions
 * (its projector made partitions from the current month on): each gets its month, as the
 * live tables have (ADR 0026). Before the swap, so that the swap's pause stays short.
 */
async function partitionByMonth(config: ProjectorConfig, schema: string): Promise<string[]> {
  const ds = await openDatabase({ url: config.DATABASE_URL, applicationName: 'runtrail-rebuild', schema, poolSize: 1 });
  try {
    return await ds.transaction((em) => {
      if (!em.queryRunner) throw new Error('a transaction without its query runner');
      return ensureTimePartitions(em.queryRunner, new Date());
    });
  } finally {
    await ds.destroy();
  }
}

/** Creates and migrates the rebuild's schema, copies the live dead letters in, and answers them by sequence. */
async function prepareSchema(db: Client, config: ProjectorConfig, schema: string): Promise<Map<number, string>> {
  for (const sql of createSchemaSql(schema)) await db.query(sql);
  const migrated = await openDatabase({ url: config.DATABASE_URL, applicationName: 'runtrail-rebuild', schema, poolSize: 1 });
  await migrated.destroy();
  const dead = deadLettersTable.name;
  await db.query(`INSERT INTO ${schemaIdentifier(schema)}.${dead} (${DEAD_LETTER_COLUMNS}) SELECT ${DEAD_LETTER_COLUMNS} FROM ${LIVE_SCHEMA}.${dead}`);
  const { rows } = await db.query<{ stream_seq: string; reason: string }>(`SELECT stream_seq, reason FROM ${LIVE_SCHEMA}.${dead}`);
  return new Map(rows.map((r) => [Number(r.stream_seq), r.reason]));
}

/**
 * The live partitions' checkpoints replace the rebuild's own, each at least where the
 * rebuild projected that partition to: the live projector resumes from there, and what it
 * finds projected already (from its own, older position) it writes again unchanged.
 */
async function takeOverCheckpoints(db: Client, schema: string, rebuilt: ReadonlyMap<string, number>, rebuildConsumer: string, liveConsumer: string): Promise<void> {
  const table = `${schemaIdentifier(schema)}.${projectorCheckpointsTable.name}`;
  const { rows } = await db.query<{ consumer: string; last_seq: string }>(`SELECT consumer, last_seq FROM ${LIVE_SCHEMA}.${projectorCheckpointsTable.name}`);
  const live = new Map(rows.map((r) => [r.consumer, Number(r.last_seq)]));
  for (const p of STREAM_PARTITIONS) {
    const name = partitionConsumerName(liveConsumer, p);
    live.set(name, Math.max(live.get(name) ?? 0, rebuilt.get(partitionConsumerName(rebuildConsumer, p)) ?? 0));
  }
  await db.query(`DELETE FROM ${table}`);
  await db.query(
    `INSERT INTO ${table} (consumer, last_seq, updated_at) SELECT consumer, last_seq, now() FROM unnest($1::text[], $2::bigint[]) AS c(consumer, last_seq)`,
    [[...live.keys()], [...live.values()]],
  );
}

async function retentionRemoved(db: Client): Promise<boolean> {
  const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${LIVE_SCHEMA}.integrity_removals`);
  return Number(rows[0]?.n ?? 0) > 0;
}

async function checkpointsOf(db: Client, schema: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ consumer: string; last_seq: string }>(`SELECT consumer, last_seq FROM ${schemaIdentifier(schema)}.${projectorCheckpointsTable.name}`);
  return new Map(rows.map((r) => [r.consumer, Number(r.last_seq)]));
}

/** Polls the rebuild's checkpoints every half second until every partition reaches its end, reporting the ones behind every ten. */
async function projectedUpTo(
  ends: ReadonlyMap<StreamPartition, number>,
  consumer: string,
  projected: () => Promise<ReadonlyMap<string, number>>,
  report: (behind: StreamPartition[]) => void,
): Promise<void> {
  let lastReport = Date.now();
  for (let behind = partitionsBehind(ends, await projected(), consumer); behind.length > 0; behind = partitionsBehind(ends, await projected(), consumer)) {
    if (Date.now() - lastReport > 10_000) {
      report(behind);
      lastReport = Date.now();
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function withConsumer(config: ProjectorConfig, consumer: string): ProjectorConfig {
  return Object.assign(new ProjectorConfig(), config, { PROJECTOR_CONSUMER: consumer });
}
