import type { AuditRecord, FieldChanges, Principal, PrincipalType } from '@runtrail/contracts';
import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * The audit timeline. `id` comes from the stream position (`stream_seq * 1024 + index in
 * message`), so it grows in stream order and a table rebuilt from the stream gets the
 * same ids. Run entries (`action = 'Run'`) are written from the runs' folded records.
 */
export const auditEventsTable = defineTable(
  'audit_events',
  {
    id: col.position().primary(),
    tenantId: col.text(),
    eventId: col.uuid(),
    happenedAt: col.timestamp(),
    action: col.text(),
    version: col.text(),
    entityType: col.text(),
    entityId: col.text().nullable(),
    entityName: col.text().nullable(),
    sourceType: col.text<PrincipalType>(),
    sourceId: col.text().nullable(),
    sourceName: col.text(),
    success: col.boolean(),
    context: col.json<Record<string, string>>(),
    /** The partition key (monthly, docs/adr/0026-time-partitions.md), so part of the primary key. */
    receivedAt: col.timestamp().primary(),
    changes: col.json<FieldChanges>().nullable(),
    correlationId: col.text().nullable(),
    /** The API key's principal that submitted the event (may differ from `source`). */
    submittedBy: col.json<Principal>(),
    streamSeq: col.bigint(),
  },
  [
    // (tenant, eventId) is unique through audit_event_keys: a partitioned table's unique index must contain received_at.
    { name: 'ix_audit_events_tenant_time', columns: ['tenantId', 'happenedAt', 'id'] },
    { name: 'ix_audit_events_tenant_entity', columns: ['tenantId', 'entityType', 'entityId', 'happenedAt', 'id'] },
    { name: 'ix_audit_events_tenant_source', columns: ['tenantId', 'sourceName', 'happenedAt', 'id'] },
    // One per filter with values that can be rare (migration 1764750000000).
    { name: 'ix_audit_events_tenant_action', columns: ['tenantId', 'action', 'happenedAt', 'id'] },
    { name: 'ix_audit_events_tenant_source_id', columns: ['tenantId', 'sourceId', 'happenedAt', 'id'] },
    { name: 'ix_audit_events_tenant_entity_id', columns: ['tenantId', 'entityId', 'happenedAt', 'id'] },
    {
      name: 'ix_audit_events_tenant_correlation',
      columns: ['tenantId', 'correlationId', 'happenedAt', 'id'],
      where: '(correlation_id IS NOT NULL)',
    },
    // GIN for `changes ? field`; TypeORM cannot describe GIN, so the migration owns it.
    { name: 'ix_audit_events_changes', columns: ['changes'], ownedByMigration: true },
  ],
);

export type AuditEventRow = RowOf<typeof auditEventsTable.columns>;

export function toAuditRecord(r: AuditEventRow): AuditRecord {
  return {
    id: Number(r.id),
    eventId: r.eventId,
    tenantId: r.tenantId,
    happenedAt: r.happenedAt,
    action: r.action,
    version: r.version,
    entityId: r.entityId,
    entityType: r.entityType,
    entityName: r.entityName,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    sourceName: r.sourceName,
    success: r.success,
    context: r.context,
    receivedAt: r.receivedAt,
    changes: r.changes,
    correlationId: r.correlationId,
  };
}
