import type { ReadQuery } from '../sql/read-query';
import { actionRunsTable, type ActionRunRow } from '../tables/action-runs.table';
import { auditEventKeysTable } from '../tables/audit-event-keys.table';
import { auditEventsTable, type AuditEventRow } from '../tables/audit-events.table';

/** Merged runs by id, for checking them against their reports. */
export function actionRunsById(tenantId: string, ids: string[]): ReadQuery<ActionRunRow> {
  const t = actionRunsTable;
  return {
    text: `SELECT ${t.select()} FROM ${t.name} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    values: [tenantId, ids],
    decode: (raw) => t.decode(raw),
  };
}

/** Timeline rows by event id (the runs' own entries, for the same check). */
export function auditRowsByEventId(tenantId: string, eventIds: string[]): ReadQuery<AuditEventRow> {
  const t = auditEventsTable;
  return {
    // Through the keys: audit_events has no index on event_id of its own (ADR 0026).
    text: `SELECT ${t.select('a')} FROM ${auditEventKeysTable.name} k
      JOIN ${t.name} a ON a.id = k.id AND a.received_at = k.received_at
      WHERE k.tenant_id = $1 AND k.event_id = ANY($2::uuid[]) AND a.tenant_id = $1`,
    values: [tenantId, eventIds],
    decode: (raw) => t.decode(raw),
  };
}
