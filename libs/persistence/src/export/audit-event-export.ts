import { auditWhere, type AuditFilter } from '../reads/audit-event-reads';
import type { KeysetPosition, ValuesQuery } from '../sql/read-query';
import { auditEventsTable } from '../tables/audit-events.table';
import { RecordLayout, exportChunkEndsQuery, write, type ExportChunk, type ExportFormat } from './record-layout';

/** An audit record as a line of a download: the fields of `toAuditRecord`, in its order. */
export const AUDIT_RECORD_LAYOUT = new RecordLayout([
  ['id', write.number('id')],
  ['eventId', write.string('event_id')],
  ['tenantId', write.string('tenant_id')],
  ['happenedAt', write.time('happened_at')],
  ['action', write.string('action')],
  ['version', write.string('version')],
  ['entityId', write.string('entity_id')],
  ['entityType', write.string('entity_type')],
  ['entityName', write.string('entity_name')],
  ['sourceType', write.string('source_type')],
  ['sourceId', write.string('source_id')],
  ['sourceName', write.string('source_name')],
  ['success', write.boolean('success')],
  ['context', write.stringMap('context')],
  ['receivedAt', write.time('received_at')],
  ['changes', write.json('changes')],
  ['correlationId', write.string('correlation_id')],
]);

/**
 * The next `limit` records of a timeline download after a keyset position, as lines of
 * the file, formatted by Postgres (same filters, order and index as the pages).
 */
export function auditEventExportChunk(
  tenantId: string | null,
  f: AuditFilter,
  format: ExportFormat,
  limit: number,
  after?: KeysetPosition,
): ValuesQuery<ExportChunk> {
  return AUDIT_RECORD_LAYOUT.chunkQuery(auditEventsTable.name, 'happened_at', auditWhere(tenantId, f, after), format, limit);
}

/** Where the next `count` chunks of `every` records of a download end, if they are full (exportChunkEndsQuery). */
export function auditEventExportChunkEnds(tenantId: string | null, f: AuditFilter, every: number, count: number, after?: KeysetPosition): ValuesQuery<KeysetPosition[]> {
  return exportChunkEndsQuery(auditEventsTable.name, 'happened_at', auditWhere(tenantId, f, after), every, count);
}
