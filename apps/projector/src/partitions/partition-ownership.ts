import { STREAM_PARTITIONS, eventStreamName, fnv1a32, partitionConsumerName, partitionSubjectFilter, type StreamPartition } from '@runtrail/contracts';
import { resetDurableConsumer, type BindingSource, type JetStreamBinding, type NatsClient, type ServedBinding } from '@runtrail/messaging';
import { errorFields, type Metrics } from '@runtrail/platform';
import { sleep } from '@runtrail/platform/retry';
import type { PinoLogger } from 'nestjs-pino';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export interface PartitionOwnershipOptions {
  namespace: string;
  /** The projector's consumer name: its partitions' durables and checkpoint rows are named after it. */
  consumer: string;
  databaseUrl: string;
  /** How often an instance looks at how many share the work, and takes or gives up partitions. */
  rebalanceEveryMs: number;
  /** The binding of one partition, its consumer starting at `startSeq`. */
  binding(partition: StreamPartition, durable: string, startSeq: number): JetStreamBinding;
}

/** How often a rebalance that keeps failing (Postgres unreachable) is logged again. */
const REMIND_EVERY_MS = 60_000;

/** What an instance holds of one partition. */
interface Held {
  lockKey: number;
  served?: ServedBinding;
}

/**
 * Shares the stream's partitions among the projector instances of one consumer (ADR 0019).
 *
 * Each instance keeps one Postgres session of its own, named after the consumer: the number
 * of such sessions is the number of live instances, and a partition is owned by whoever
 * holds its session-level advisory lock. Every few seconds an instance takes free
 * partitions up to its fair share (all of them divided by the instances, rounded up) and
 * gives up any beyond it. An instance that dies loses its session, so its locks, and the
 * others take its partitions at their next look; one that stops gives them up first.
 *
 * A new owner resumes exactly at its partition's committed checkpoint: it makes the
 * partition's durable consumer anew from the next sequence, so nothing the previous owner
 * fetched and did not commit is skipped or comes back out of order. Facts of the legacy
 * layout are older than any partitioned fact of the same tenant; no partition is served
 * until they are all projected, so each tenant's log keeps stream order.
 */
export class PartitionOwnership implements BindingSource {
  private readonly held = new Map<StreamPartition, Held>();
  private session?: Client;
  private serve?: (binding: JetStreamBinding) => Promise<ServedBinding>;
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  private legacyProjected = false;
  private failingSince?: number;
  private failureLoggedAt = 0;
  private readonly ownedGauge;

  constructor(
    private readonly client: NatsClient,
    private readonly dataSource: DataSource,
    private readonly options: PartitionOwnershipOptions,
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.ownedGauge = metrics.gauge('runtrail_projector_partitions_owned', 'Stream partitions this instance projects');
  }

  /** The partitions this instance serves now. */
  owned(): StreamPartition[] {
    return [...this.held.entries()].filter(([, h]) => h.served).map(([p]) => p);
  }

  async start(serve: (binding: JetStreamBinding) => Promise<ServedBinding>): Promise<void> {
    this.serve = serve;
    // The first share is taken before the service reports itself started.
    await this.look();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    // The loops stop together: each may wait out its fetch in flight (up to a second), and 17
    // in a row could outlast the SIGTERM drain. The locks go one after another: they share
    // one session, which takes one query at a time.
    await Promise.all(
      [...this.held.values()].map(async (held) => {
        await held.served?.stop();
        held.served = undefined;
      }),
    );
    for (const partition of [...this.held.keys()]) await this.release(partition);
    await this.session?.end().catch(() => undefined);
    this.session = undefined;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      await sleep(this.options.rebalanceEveryMs, this.stopping.signal);
      if (this.stopping.signal.aborted) break;
      await this.look();
    }
  }

  /** One rebalance; a failure is logged when it starts, then once a minute while it lasts, and its end once. */
  private async look(): Promise<void> {
    try {
      await this.rebalance();
      if (this.failingSince !== undefined) this.logger.warn({ failedForMs: Date.now() - this.failingSince }, 'partitions: rebalancing again');
      this.failingSince = undefined;
    } catch (err) {
      this.failingSince ??= Date.now();
      if (Date.now() - this.failureLoggedAt >= REMIND_EVERY_MS) {
        this.failureLoggedAt = Date.now();
        this.logger.warn({ err: errorFields(err), failingForMs: Date.now() - this.failingSince }, 'partitions: cannot rebalance; trying again');
      }
    } finally {
      this.ownedGauge.set(this.owned().length);
    }
  }

  private async rebalance(): Promise<void> {
    const session = await this.openSession();
    const { rows } = await session.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [this.sessionName],
    );
    const share = Math.ceil(STREAM_PARTITIONS.length / Math.max(rows[0].n, 1));
    // Given up from the end, so the numbered partitions, the busy ones, move last.
    for (const partition of [...this.held.keys()].reverse().slice(0, Math.max(this.held.size - share, 0))) await this.release(partition);
    for (const partition of STREAM_PARTITIONS) {
      if (this.held.size >= share || this.stopping.signal.aborted) break;
      if (!this.held.has(partition)) await this.tryAcquire(session, partition);
    }
    // A partition taken while the legacy facts were still being projected is served once they are.
    for (const [partition, held] of this.held) if (!held.served) await this.startServing(partition, held);
  }

  private async tryAcquire(session: Client, partition: StreamPartition): Promise<void> {
    const lockKey = STREAM_PARTITIONS.indexOf(partition);
    const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int, $2::int) AS ok', [this.lockClass, lockKey]);
    if (rows[0].ok) this.held.set(partition, { lockKey });
  }

  private async startServing(partition: StreamPartition, held: Held): Promise<void> {
    if (partition !== 'legacy' && !(await this.legacyDone())) return;
    const durable = partitionConsumerName(this.options.consumer, partition);
    const startSeq = (await this.checkpoint(durable)) + 1;
    const binding = this.options.binding(partition, durable, startSeq);
    if (!binding.consumer) throw new Error(`the binding of partition ${partition} names no consumer settings`);
    await resetDurableConsumer(this.client, { stream: binding.stream, durable, ...binding.consumer, startSeq });
    held.served = await (this.serve as NonNullable<typeof this.serve>)(binding);
    this.logger.info({ partition, startSeq }, 'partitions: serving');
  }

  private async release(partition: StreamPartition): Promise<void> {
    const held = this.held.get(partition);
    if (!held) return;
    await held.served?.stop();
    this.held.delete(partition);
    await this.session?.query('SELECT pg_advisory_unlock($1::int, $2::int)', [this.lockClass, held.lockKey]).catch(() => undefined);
    this.logger.info({ partition }, 'partitions: released');
  }

  /** Whether every fact of the legacy layout the stream holds is projected (true for good once it is). */
  private async legacyDone(): Promise<boolean> {
    if (this.legacyProjected) return true;
    const stream = eventStreamName(this.options.namespace);
    const last = await this.client.jsm.streams.getMessage(stream, { last_by_subj: partitionSubjectFilter(this.options.namespace, 'legacy') });
    this.legacyProjected = !last || (await this.checkpoint(partitionConsumerName(this.options.consumer, 'legacy'))) >= last.seq;
    return this.legacyProjected;
  }

  private async checkpoint(consumer: string): Promise<number> {
    const rows: { last_seq: string }[] = await this.dataSource.query('SELECT last_seq FROM projector_checkpoints WHERE consumer = $1', [consumer]);
    return Number(rows[0]?.last_seq ?? 0);
  }

  /** The session holding the locks; when it is lost, so are the locks, and everything served stops. */
  private async openSession(): Promise<Client> {
    if (this.session) return this.session;
    const session = new Client({ connectionString: this.options.databaseUrl, application_name: this.sessionName, connectionTimeoutMillis: 5000 });
    session.on('error', (err) => {
      if (this.session !== session) return;
      this.session = undefined;
      this.logger.warn({ err: errorFields(err) }, 'partitions: lost the session holding them; giving them up');
      const lost = [...this.held.values()];
      this.held.clear();
      this.ownedGauge.set(0);
      void Promise.all(lost.map((h) => h.served?.stop() ?? Promise.resolve()));
      void session.end().catch(() => undefined);
    });
    await session.connect();
    this.session = session;
    return session;
  }

  /** The Postgres application name of the instances of one consumer (63 characters at most). */
  private get sessionName(): string {
    return `runtrail-partitions-${fnv1a32(this.options.consumer).toString(16)}`;
  }

  /** The first key of the consumer's advisory locks (the partition is the second). */
  private get lockClass(): number {
    return fnv1a32(`runtrail-partitions/${this.options.consumer}`) | 0;
  }
}

