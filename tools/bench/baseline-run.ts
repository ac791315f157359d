import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { upsertAuditEvents, type AuditEventRow } from '@runtrail/persistence';
import { chunk } from './event-generator';

export interface BaselineResult {
  events: number;
  seconds: number;
}

/**
 * Far above any id the projector gives (stream_seq * 1024 + index), so baseline rows
 * can never collide with projected ones even without the TRUNCATE in between.
 */
const ID_OFFSET = 10n ** 12n;

type Columns = unknown[][];

/**
 * Writes the same events straight into audit_events, one chunk of `batch` rows per
 * transaction, sequentially on one connection: the database's share of the work
 * with HTTP, validation, JetStream and the consumer taken away.
 */
export async function runBaseline(db: Client, tenantId: string, events: Record<string, unknown>[], batch: number): Promise<BaselineResult> {
  // Built before timing starts: the figure is the database write, not array building.
  const submittedBy: AuditEventRow['submittedBy'] = { type: 'Application', id: randomUUID(), name: `key-${tenantId}` };
  const chunks = chunk(events, batch).map((rows, c) => toColumns(rows, c, batch, tenantId, submittedBy));
  const started = performance.now();
  for (const columns of chunks) {
    await db.query('BEGIN');
    try {
      await db.query(upsertAuditEvents.text, columns);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return { events: events.length, seconds: (performance.now() - started) / 1000 };
}

/** The projector's rows for one chunk, with values normalised as the gateway would. */
function toColumns(rows: Record<string, unknown>[], chunkIndex: number, batch: number, tenantId: string, submittedBy: AuditEventRow['submittedBy']): Columns {
  const receivedAt = new Date().toISOString();
  return upsertAuditEvents.params(
    rows.map((e, i) => ({
      id: (ID_OFFSET + BigInt(chunkIndex * batch + i)).toString(),
      tenantId,
      eventId: e.eventId as string,
      happenedAt: e.happenedAt as string,
      action: e.action as string,
      version: (e.version as string | undefined) ?? '1.0',
      entityType: e.entityType as string,
      entityId: (e.entityId as string | undefined) ?? null,
      entityName: (e.entityName as string | undefined) ?? null,
      sourceType: e.sourceType as AuditEventRow['sourceType'],
      sourceId: (e.sourceId as string | undefined) ?? null,
      sourceName: e.sourceName as string,
      success: e.success !== false,
      context: (e.context as Record<string, string> | undefined) ?? {},
      receivedAt,
      changes: (e.changes as AuditEventRow['changes'] | undefined) ?? null,
      correlationId: (e.correlationId as string | undefined) ?? null,
      submittedBy,
      // Stands in for the stream sequence: one per chunk, as one request is one message.
      streamSeq: chunkIndex + 1,
    })),
  );
}
