import type { AuditRecord, PrincipalType } from '@runtrail/contracts';
import type { KeysetPosition, PageWindow, ReadQuery } from '../sql/read-query';
import { SqlWhere } from '../sql/sql-where';
import { auditEventsTable, toAuditRecord } from '../tables/audit-events.table';

/** The timeline's filters in domain terms; `endExclusive` is already exclusive. */
export interface AuditFilter {
  start?: Date;
  endExclusive?: Date;
  action?: string;
  sourceType?: PrincipalType;
  sourceId?: string;
  sourceName?: string;
  entityType?: string;
  entityId?: string;
  success?: boolean;
  correlationId?: string;
  /** Records whose `changes` name this field. */
  changedField?: string;
  /**
   * A viewer token's source: a second, separate condition on `source_id`, so a `sourceId`
   * filter can narrow the answer but never widen it.
   */
  onlySourceId?: string;
}

const t = auditEventsTable;

/** The tenant condition (none for the root key), every filter and the keyset position, bound. */
export function auditWhere(tenantId: string | null, f: AuditFilter, after?: KeysetPosition): SqlWhere {
  return new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .add(f.start !== undefined, (b) => `happened_at >= ${b(f.start)}`)
    .add(f.endExclusive !== undefined, (b) => `happened_at < ${b(f.endExclusive)}`)
    .eq('action', f.action)
    .eq('source_type', f.sourceType)
    .eq('source_id', f.sourceId)
    .eq('source_id', f.onlySourceId)
    .eq('source_name', f.sourceName)
    .eq('entity_type', f.entityType)
    .eq('entity_id', f.entityId)
    .eq('success', f.success)
    .eq('correlation_id', f.correlationId)
    // jsonb `?` (key exists), served by the GIN index on changes.
    .add(f.changedField !== undefined, (b) => `changes ? ${b(f.changedField)}`)
    .add(after !== undefined, (b) => `(happened_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::bigint)`);
}

/**
 * A page of the timeline, newest first. Keyset paging on (happened_at, id) walks the
 * (tenant_id, happened_at, id) index backwards, as fast deep as on page one. `tenantId`
 * null is the root key: every tenant.
 */
export function auditEventPage(tenantId: string | null, f: AuditFilter, page: PageWindow): ReadQuery<AuditRecord> {
  const where = auditWhere(tenantId, f, page.after);
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where}
      ORDER BY happened_at DESC, id DESC LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: (raw) => toAuditRecord(t.decode(raw)),
  };
}
