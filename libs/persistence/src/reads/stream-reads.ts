import type { AuditRecord } from '@runtrail/contracts';
import type { ReadQuery } from '../sql/read-query';
import { POSITIONS_PER_MESSAGE } from '../schema/stream-position';
import { auditEventsTable, toAuditRecord } from '../tables/audit-events.table';
import { auditWhere, type AuditFilter } from './audit-event-reads';

const t = auditEventsTable;

/** A timeline entry with the stream sequence of the message it came from. */
export interface PositionedRecord {
  record: AuditRecord;
  streamSeq: number;
}

/**
 * What a stream may deliver for messages `firstSeq`..`lastSeq` of one tenant: the entries
 * those messages stored (by their position) and the run entries named in `runEntryIds`
 * (a run's entry keeps its first report's position, so it is found by its event id), each
 * matching the stream's filter, in position order. The caller picks from these by the
 * kind of message each came from (docs/streams.md#what-a-stream-delivers).
 */
export function streamCandidates(tenantId: string, f: AuditFilter, firstSeq: number, lastSeq: number, runEntryIds: string[]): ReadQuery<PositionedRecord> {
  const where = auditWhere(tenantId, f).add(true, (b) => {
    const range = `(id >= ${b(String(BigInt(firstSeq) * BigInt(POSITIONS_PER_MESSAGE)))}::bigint AND id < ${b(String(BigInt(lastSeq + 1) * BigInt(POSITIONS_PER_MESSAGE)))}::bigint)`;
    return runEntryIds.length ? `(${range} OR event_id = ANY(${b(runEntryIds)}::uuid[]))` : range;
  });
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where} ORDER BY id`,
    values: where.params,
    decode: (raw) => {
      const row = t.decode(raw);
      return { record: toAuditRecord(row), streamSeq: Number(row.streamSeq) };
    },
  };
}

/** How many of a tenant's stored entries match the filter and come from messages after `afterSeq`: a stream's lag. */
export function streamBacklog(tenantId: string, f: AuditFilter, afterSeq: number): ReadQuery<number> {
  const where = auditWhere(tenantId, f).add(true, (b) => `id >= ${b(String(BigInt(afterSeq + 1) * BigInt(POSITIONS_PER_MESSAGE)))}::bigint`);
  return { text: `SELECT count(*)::bigint AS n FROM ${t.name} ${where}`, values: where.params, decode: (raw) => Number(raw.n) };
}
