import type { AuditRecord } from '@runtrail/contracts';
import type { ReadQuery } from '../sql/read-query';
import { POSITIONS_PER_MESSAGE } from '../schema/stream-position';
import { auditEventsTable, toAuditRecord } from '../tables/audit-events.table';
import { auditWhere, type AuditFilter } from './audit-event-reads';

const t = auditEventsTable;

const positionOf = (seq: number) => String(BigInt(seq) * BigInt(POSITIONS_PER_MESSAGE));

/**
 * A page of the entries that messages `firstSeq`..`lastSeq` of one tenant stored, matching a
 * stream's filter, in position order after `afterId`: a stream reads a batch page by page, so
 * a batch of large messages never sits in memory whole.
 */
export function streamEntryPage(tenantId: string, f: AuditFilter, firstSeq: number, lastSeq: number, afterId: number | undefined, limit: number): ReadQuery<AuditRecord> {
  const where = auditWhere(tenantId, f)
    .add(true, (b) => `id >= ${b(positionOf(firstSeq))}::bigint AND id < ${b(positionOf(lastSeq + 1))}::bigint`)
    .add(afterId !== undefined, (b) => `id > ${b(String(afterId))}::bigint`);
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where} ORDER BY id LIMIT ${where.bind(limit)}`,
    values: where.params,
    decode: (raw) => toAuditRecord(t.decode(raw)),
  };
}

/** The timeline entries with these event ids (a run's entry, found by its run), matching a stream's filter, in position order. */
export function streamEntriesById(tenantId: string, f: AuditFilter, eventIds: string[]): ReadQuery<AuditRecord> {
  const where = auditWhere(tenantId, f).add(true, (b) => `event_id = ANY(${b(eventIds)}::uuid[])`);
  return { text: `SELECT ${t.select()} FROM ${t.name} ${where} ORDER BY id`, values: where.params, decode: (raw) => toAuditRecord(t.decode(raw)) };
}

/**
 * How many of a tenant's stored entries match the filter and come from messages after
 * `afterSeq` (up to the row at `throughPosition`, when given): a stream's lag, or what it
 * has not delivered of what retention is about to remove.
 */
export function streamBacklog(tenantId: string, f: AuditFilter, afterSeq: number, throughPosition?: string): ReadQuery<number> {
  const where = auditWhere(tenantId, f)
    .add(true, (b) => `id >= ${b(positionOf(afterSeq + 1))}::bigint`)
    .add(throughPosition !== undefined, (b) => `id <= ${b(throughPosition)}::bigint`);
  return { text: `SELECT count(*)::bigint AS n FROM ${t.name} ${where}`, values: where.params, decode: (raw) => Number(raw.n) };
}
