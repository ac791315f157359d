import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * Which row holds each `(tenant, eventId)` of the timeline: the contract's "an event re-sent
 * with the same eventId is stored once" for as long as the event is kept. `audit_events` is
 * partitioned by month of `received_at`, and a unique index of a partitioned table must
 * contain that column, so it can only say "once per month"; this narrow table, not
 * partitioned, says it for good (docs/adr/0026-time-partitions.md). `id` and `receivedAt`
 * are the primary key of the row in `audit_events`; `runEntry` marks a run's timeline entry,
 * which a later report may rewrite, where an audit event is only ever replaced by an earlier
 * copy of itself.
 */
export const auditEventKeysTable = defineTable(
  'audit_event_keys',
  {
    tenantId: col.text().primary(),
    eventId: col.uuid().primary(),
    id: col.position(),
    receivedAt: col.timestamp(),
    runEntry: col.boolean(),
  },
  // No index but the key: retention removes keys through the rows it removes (time-partitions.ts),
  // so each event pays one index write here, as it paid for its unique index before.
);

export type AuditEventKeyRow = RowOf<typeof auditEventKeysTable.columns>;
