import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { upsertAuditEvents, type AuditEventRow } from '@runtrail/persistence';
import { eventJson } from './event-generator';

export interface BaselineResult {
  rows: number;
  /** The database's time only: BEGIN to COMMIT of each chunk, added up. */
  seconds: number;
  rowsPerSecond: number;
}

/**
 * Far above any id the projector gives (stream_seq * 1024 + index); each baseline has its
 * own range, so they never collide with projected rows or with each other.
 */
const INSERT_IDS = 10n ** 12n;
const COPY_IDS = 2n * 10n ** 12n;

/** The projector's row for event `i` of the load generator's kind, as the gateway would have stamped it. */
function rowOf(i: number, now: number, id: bigint, tenantId: string, submittedBy: AuditEventRow['submittedBy'], receivedAt: string): AuditEventRow {
  const e = JSON.parse(eventJson(i, now)) as Record<string, unknown>;
  return {
    id: id.toString(),
    tenantId,
    eventId: e.eventId as string,
    happenedAt: e.happenedAt as string,
    action: e.action as string,
    version: '1.0',
    entityType: e.entityType as string,
    entityId: (e.entityId as string | undefined) ?? null,
    entityName: (e.entityName as string | undefined) ?? null,
    sourceType: e.sourceType as AuditEventRow['sourceType'],
    sourceId: (e.sourceId as string | undefined) ?? null,
    sourceName: e.sourceName as string,
    success: e.success !== false,
    context: (e.context as Record<string, string> | undefined) ?? {},
    receivedAt,
    changes: null,
    correlationId: null,
    submittedBy,
    streamSeq: i + 1,
  };
}

function chunkRows(rows: number, batch: number, from: number, tenantId: string, idBase: bigint): AuditEventRow[] {
  const now = Date.now();
  const receivedAt = new Date(now).toISOString();
  const submittedBy: AuditEventRow['submittedBy'] = { type: 'Application', id: randomUUID(), name: `key-${tenantId}` };
  const count = Math.min(batch, rows - from);
  return Array.from({ length: count }, (_, k) => rowOf(from + k, now, idBase + BigInt(from + k), tenantId, submittedBy, receivedAt));
}

/** One chunk in its own transaction; answers the milliseconds it took. */
async function timedTransaction(db: Client, work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await db.query('BEGIN');
  try {
    await work();
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
  return performance.now() - t0;
}

/**
 * `rows` events of the load generator's kind straight into audit_events with the
 * projector's own statement (`upsertAuditEvents`: INSERT … SELECT unnest … ON CONFLICT),
 * `batch` rows per transaction, one after another on one connection: the database's
 * share of the work, with HTTP, validation, JetStream and the consumer taken away. Each
 * chunk's rows are built before its clock starts.
 */
export async function runInsertBaseline(db: Client, tenantId: string, rows: number, batch: number): Promise<BaselineResult> {
  let ms = 0;
  for (let from = 0; from < rows; from += batch) {
    const params = upsertAuditEvents.params(chunkRows(rows, batch, from, tenantId, INSERT_IDS));
    ms += await timedTransaction(db, () => db.query(upsertAuditEvents.text, params));
  }
  return { rows, seconds: ms / 1000, rowsPerSecond: rows / (ms / 1000) };
}

const COPY_COLUMNS = [
  'id', 'tenant_id', 'event_id', 'happened_at', 'action', 'version', 'entity_type', 'entity_id', 'entity_name', 'source_type',
  'source_id', 'source_name', 'success', 'context', 'received_at', 'changes', 'correlation_id', 'submitted_by', 'stream_seq',
];

/** A CSV field: quoted (so an empty string stays a string), or unquoted empty for NULL. */
function csv(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

function csvLines(rows: AuditEventRow[]): Buffer {
  const lines = rows.map((r) =>
    [
      r.id, r.tenantId, r.eventId, r.happenedAt, r.action, r.version, r.entityType, r.entityId, r.entityName, r.sourceType,
      r.sourceId, r.sourceName, r.success, r.context, r.receivedAt, r.changes, r.correlationId, r.submittedBy, r.streamSeq,
    ]
      .map(csv)
      .join(','),
  );
  return Buffer.from(`${lines.join('\n')}\n`);
}

/**
 * The same rows, chunks and transactions as runInsertBaseline, written with
 * `COPY audit_events FROM STDIN (FORMAT csv)` instead: Postgres's fastest way in. COPY has
 * no ON CONFLICT, which these fresh rows do not need.
 */
export async function runCopyBaseline(db: Client, tenantId: string, rows: number, batch: number): Promise<BaselineResult> {
  const statement = `COPY audit_events (${COPY_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv)`;
  let ms = 0;
  for (let from = 0; from < rows; from += batch) {
    const data = csvLines(chunkRows(rows, batch, from, tenantId, COPY_IDS));
    ms += await timedTransaction(db, () => pipeline(Readable.from([data]), db.query(copyFrom(statement))));
  }
  return { rows, seconds: ms / 1000, rowsPerSecond: rows / (ms / 1000) };
}
