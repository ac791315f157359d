import { Injectable } from '@nestjs/common';
import type { ErasedDigests } from '@runtrail/integrity';
import type { ConsumedMessage } from '@runtrail/messaging';
import { Metrics } from '@runtrail/platform';
import {
  HOLD_PROJECTION_SQL,
  LOCK_CHECKPOINT_SQL,
  actAsProjector,
  insertDeadLetters,
  insertErasedValues,
  openCheckpoint,
  saveCheckpoint,
  type AuditEventRow,
  type CommandRow,
  type ErasedValueRow,
  type ScheduleRow,
} from '@runtrail/persistence';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type EntityManager } from 'typeorm';
import { ActionRunProjection, type StoredRunReport } from '../action-runs/action-run.projection';
import { AuditEventProjection } from '../audit-events/audit-event.projection';
import { CommandProjection } from '../commands/command.projection';
import { ErasureProjection, type TenantErasure } from '../erasure/erasure.projection';
import { IntegrityLogAppender, type LogCandidate } from '../integrity/integrity-log.appender';
import { LogCandidates } from '../integrity/log-candidates';
import { ScheduleProjection } from '../schedules/schedule.projection';
import { DecodeBatch, type DecodedMessage } from './decode-batch';
import { PoisonMessageError } from './parse-envelope';

export interface BatchOutcome {
  projectedMessages: number;
  insertedRows: number;
  runsWritten: number;
  deadLettered: number;
  lastSeq: number;
}

/** A group decoded and made into rows, before its transaction. */
interface Prepared {
  batch: DecodedMessage[];
  work: BatchWork;
}

interface BatchWork {
  audit: AuditEventRow[];
  runReports: StoredRunReport[];
  commands: CommandRow[];
  schedules: ScheduleRow[];
  entries: LogCandidate[];
  erasedValues: ErasedValueRow[];
  erasures: TenantErasure[];
  dead: { m: ConsumedMessage; reason: string }[];
  projectedMessages: number;
}

/**
 * Applies one batch of stream messages to the projections in a single Postgres
 * transaction, together with the consumer checkpoint, and only then lets the
 * consumer acknowledge them. Every write is idempotent and independent of arrival
 * order, because JetStream redelivers an unacknowledged message after later ones
 * (a fetch cut short by a restart, a crash after COMMIT): applying a message twice,
 * or late, leaves the tables as an in-order replay would. The checkpoint is the
 * high-water mark of committed sequences, never a filter: skipping "old" sequences
 * would drop exactly those late redeliveries. A message that can never be
 * projected goes to `dead_letters` and the rest flow on.
 */
@Injectable()
export class ProjectBatchUseCase {
  private readonly inserted;
  private readonly deadLettered;
  private readonly redelivered;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditEventProjection,
    private readonly runs: ActionRunProjection,
    private readonly commands: CommandProjection,
    private readonly schedules: ScheduleProjection,
    private readonly erasures: ErasureProjection,
    private readonly decoder: DecodeBatch,
    private readonly logCandidates: LogCandidates,
    private readonly log: IntegrityLogAppender,
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.inserted = metrics.counter('runtrail_projected_events_total', 'Events written to projections', ['kind']);
    this.deadLettered = metrics.counter('runtrail_dead_letters_total', 'Messages moved to the dead-letter table');
    this.redelivered = metrics.counter('runtrail_projector_redelivered_messages_total', 'Messages delivered again by their consumer (after an ack wait ran out or a batch was given back)');
  }

  /**
   * Projects a batch one partition's consumer delivered; `checkpoint` names the partition's
   * checkpoint row (its consumer's name). A batch larger than one transaction is applied in
   * groups, and the next group is decoded and made into rows while the current one's
   * transaction runs, so the projector's CPU and Postgres work side by side rather than in
   * turn. Decoding touches no table, so doing it early changes nothing but the time.
   */
  async execute(messages: ConsumedMessage[], checkpoint: string): Promise<BatchOutcome> {
    this.redelivered.inc(messages.filter((m) => (m.deliveries ?? 1) > 1).length);
    const total: BatchOutcome = { projectedMessages: 0, insertedRows: 0, runsWritten: 0, deadLettered: 0, lastSeq: 0 };
    const groups = transactionGroups(messages);
    let next = this.prepare(groups[0]);
    for (let i = 0; i < groups.length; i++) {
      const prepared = await next;
      if (i + 1 < groups.length) {
        next = this.prepare(groups[i + 1]);
        // Awaited on the next turn; until then a failure must not count as unhandled.
        next.catch(() => undefined);
      }
      addOutcome(total, await this.executeGroup(prepared, checkpoint));
    }
    return total;
  }

  /** A group decoded from the vault and made into rows, ready for its transaction. */
  private async prepare(messages: ConsumedMessage[]): Promise<Prepared> {
    const batch = await this.decoder.decode(messages);
    return { batch, work: await this.collect(batch) };
  }

  /** One transaction's worth of a batch: its rows and checkpoint. */
  private async executeGroup({ batch, work }: Prepared, checkpoint: string): Promise<BatchOutcome> {
    let outcome: BatchOutcome;
    try {
      outcome = await this.write(work, batch, checkpoint);
    } catch (err) {
      if (!isRefusedData(err)) throw err;
      outcome = await this.isolate(batch, checkpoint);
    }
    this.inserted.inc({ kind: 'audit' }, outcome.insertedRows);
    this.inserted.inc({ kind: 'run' }, outcome.runsWritten);
    if (outcome.deadLettered) {
      this.deadLettered.inc(outcome.deadLettered);
      this.logger.warn({ deadLettered: outcome.deadLettered, lastSeq: outcome.lastSeq }, 'messages moved to dead_letters');
    }
    return outcome;
  }

  /**
   * Postgres refused some row of the batch for what it holds (not for being down): each
   * message is applied on its own, and one that is still refused goes to `dead_letters`
   * with the SQLSTATE, so one unstorable event never stalls the stream behind it.
   */
  private async isolate(batch: DecodedMessage[], checkpoint: string): Promise<BatchOutcome> {
    const total: BatchOutcome = { projectedMessages: 0, insertedRows: 0, runsWritten: 0, deadLettered: 0, lastSeq: 0 };
    for (const m of batch) {
      let one: BatchOutcome;
      try {
        one = await this.apply([m], checkpoint);
      } catch (err) {
        if (!isRefusedData(err)) throw err;
        one = await this.apply([{ m: m.m, poison: `Postgres refused its rows (SQLSTATE ${(err as { code: string }).code})` }], checkpoint);
      }
      addOutcome(total, one);
    }
    return total;
  }

  private async apply(batch: DecodedMessage[], consumer: string): Promise<BatchOutcome> {
    return this.write(await this.collect(batch), batch, consumer);
  }

  /** What a decoded batch writes, by table, and the messages that cannot be projected. */
  private async collect(batch: DecodedMessage[]): Promise<BatchWork> {
    const work: BatchWork = { audit: [], runReports: [], commands: [], schedules: [], entries: [], erasedValues: [], erasures: [], dead: [], projectedMessages: 0 };
    for (const { m, kind, envelope, erased = [], poison } of batch) {
      try {
        if (poison) throw new PoisonMessageError(poison);
        if (!envelope) continue;
        if (kind === 'audit') {
          const rows = this.audit.rows(m.seq, envelope);
          work.audit.push(...rows);
          work.erasedValues.push(...erasedValueRows(rows.map((r) => r.id), envelope.tenantId, erased));
          work.entries.push(...(await this.logCandidates.ofAuditRows(rows, envelope.act === true, erased)));
        } else if (kind === 'run') {
          const reports = this.runs.reports(m.seq, envelope);
          work.runReports.push(...reports);
          work.erasedValues.push(...erasedValueRows(reports.map((r) => r.position), envelope.tenantId, erased));
          work.entries.push(...(await this.logCandidates.ofReports(reports, erased)));
        } else if (kind === 'erasure') work.erasures.push(...this.erasures.facts(envelope));
        else if (kind === 'command') work.commands.push(...this.commands.rows(envelope));
        else if (kind === 'schedule') work.schedules.push(...this.schedules.rows(envelope));
        // Runner registrations and removals have no table (the registry lives in KV,
        // ADR 0007); the stream keeps them as the record.
        else if (kind !== 'runner') throw new PoisonMessageError(`no projection for kind ${kind}`);
        work.projectedMessages++;
      } catch (err) {
        if (!(err instanceof PoisonMessageError)) throw err;
        work.dead.push({ m, reason: err.message });
      }
    }
    return work;
  }

  /** One transaction: the batch's rows, its log entries, its dead letters and the checkpoint. */
  private async write(work: BatchWork, batch: DecodedMessage[], consumer: string): Promise<BatchOutcome> {
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      // First, before any table is named: a rebuild's swap waits for this batch, or this batch for the swap.
      await em.query(HOLD_PROJECTION_SQL);
      await actAsProjector(em);
      // One time for the batch's bookkeeping rows: the checkpoint and its dead letters.
      const now = new Date().toISOString();
      const checkpoint = await this.lockCheckpoint(em, consumer, now);
      const insertedRows = await this.audit.insert(em, work.audit);
      const runsWritten = await this.runs.apply(em, work.runReports);
      await this.commands.apply(em, work.commands);
      await this.schedules.apply(em, work.schedules);
      await this.erasures.apply(em, work.erasures);
      if (work.erasedValues.length) await em.query(insertErasedValues.text, insertErasedValues.params(work.erasedValues));
      await this.log.append(em, work.entries);
      if (work.dead.length) {
        const rows = work.dead.map(({ m, reason }) => ({ streamSeq: m.seq, subject: m.subject, reason, payload: Buffer.from(m.data), createdAt: now, replayedAs: null }));
        await em.query(insertDeadLetters.text, insertDeadLetters.params(rows));
      }
      const lastSeq = Math.max(checkpoint, ...batch.map((d) => d.m.seq));
      await em.query(saveCheckpoint.text, saveCheckpoint.params([{ consumer, lastSeq, updatedAt: now }]));
      return { projectedMessages: work.projectedMessages, insertedRows, runsWritten, deadLettered: work.dead.length, lastSeq };
    });
  }

  /** Reads the checkpoint and locks it, so projector replicas apply batches one at a time. */
  private async lockCheckpoint(em: EntityManager, consumer: string, now: string): Promise<number> {
    await em.query(openCheckpoint.text, openCheckpoint.params([{ consumer, lastSeq: 0, updatedAt: now }]));
    const rows: { last_seq: string }[] = await em.query(LOCK_CHECKPOINT_SQL, [consumer]);
    return Number(rows[0].last_seq);
  }
}

/**
 * Stream bytes one transaction takes at most (a single larger message still goes alone). A
 * fetched batch can hold up to PROJECTOR_BATCH_SIZE messages of up to 1000 events each; the
 * rows, log entries and COPY text made from them take several times their bytes in memory,
 * so a batch is applied in consecutive groups of about this size, each committed with its
 * own checkpoint (a redelivered batch finds its first groups committed, and writes them
 * again unchanged). 2 MiB is about 4,800 events of 430 bytes.
 */
const TRANSACTION_BYTES = 2 * 1024 * 1024;

/** Consecutive messages in groups of at most TRANSACTION_BYTES of data, never empty. */
function transactionGroups(messages: ConsumedMessage[]): ConsumedMessage[][] {
  const groups: ConsumedMessage[][] = [];
  let bytes = Infinity;
  for (const m of messages) {
    if (bytes + m.data.length > TRANSACTION_BYTES) {
      groups.push([]);
      bytes = 0;
    }
    (groups.at(-1) as ConsumedMessage[]).push(m);
    bytes += m.data.length;
  }
  return groups;
}

function addOutcome(total: BatchOutcome, one: BatchOutcome): void {
  total.projectedMessages += one.projectedMessages;
  total.insertedRows += one.insertedRows;
  total.runsWritten += one.runsWritten;
  total.deadLettered += one.deadLettered;
  total.lastSeq = Math.max(total.lastSeq, one.lastSeq);
}

/**
 * Postgres refused a value, not the connection: data exceptions (class 22, e.g. text
 * JSON cannot hold), integrity violations (23, e.g. a CHECK an operator added) and
 * program limits (54, e.g. an index row too large). Retrying such a batch can never
 * succeed; anything else (connection lost, server shutting down) is retried as a whole.
 */
function isRefusedData(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}

/** The erased fields of each row a message made (`positions[i]` is event i's row), for `erased_values`. */
function erasedValueRows(positions: string[], tenantId: string, erased: ErasedDigests[]): ErasedValueRow[] {
  return positions.flatMap((position, i) => Object.entries(erased[i] ?? {}).map(([path, digest]) => ({ tenantId, position, path, digest })));
}
