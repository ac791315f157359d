import type { AuditEvent, Principal } from '@runtrail/contracts';

/** One row of `audit_events` as the projector writes it: the event plus what the server stamped. */
export interface AuditEventRow extends AuditEvent {
  id: string;
  tenantId: string;
  receivedAt: string;
  submittedBy: Principal;
  streamSeq: number;
}

/*
 * The projector's writes: every row of a batch in one statement (one array per
 * column, `unnest` turns them back into rows). For audit events the row from the
 * earliest stream position wins whatever the arrival order. The benchmark's
 * baseline runs this same statement.
 */
const INSERT_AUDIT_EVENTS = `
  INSERT INTO audit_events (id, tenant_id, event_id, happened_at, action, version, entity_type, entity_id,
    entity_name, source_type, source_id, source_name, success, context, received_at, submitted_by, stream_seq)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::jsonb[],
    $15::timestamptz[], $16::jsonb[], $17::bigint[])
  ON CONFLICT (tenant_id, event_id) DO UPDATE SET
    id = EXCLUDED.id, happened_at = EXCLUDED.happened_at, action = EXCLUDED.action,
    version = EXCLUDED.version, entity_type = EXCLUDED.entity_type, entity_id = EXCLUDED.entity_id,
    entity_name = EXCLUDED.entity_name, source_type = EXCLUDED.source_type, source_id = EXCLUDED.source_id,
    source_name = EXCLUDED.source_name, success = EXCLUDED.success, context = EXCLUDED.context,
    received_at = EXCLUDED.received_at, submitted_by = EXCLUDED.submitted_by, stream_seq = EXCLUDED.stream_seq`;

export const UPSERT_AUDIT_EVENTS_SQL = `${INSERT_AUDIT_EVENTS}
  WHERE audit_events.id > EXCLUDED.id`;

/**
 * A run's one timeline entry, rewritten from the run's folded record each time the
 * run changes (its id, the run's first stream position, stays). It only ever
 * overwrites a run entry, never an audit event that happens to share its event id.
 */
export const UPSERT_RUN_TIMELINE_SQL = `${INSERT_AUDIT_EVENTS}
  WHERE audit_events.entity_type = 'ActionRun' AND audit_events.action = 'Run'`;

/** The statement's 17 parameters. Rows must be unique by (tenant, event id). */
export function auditEventColumns(rows: AuditEventRow[]): unknown[][] {
  const cols: unknown[][] = Array.from({ length: 17 }, () => []);
  for (const r of rows) {
    const values = [
      r.id,
      r.tenantId,
      r.eventId,
      r.happenedAt,
      r.action,
      r.version,
      r.entityType,
      r.entityId,
      r.entityName,
      r.sourceType,
      r.sourceId,
      r.sourceName,
      r.success,
      JSON.stringify(r.context),
      r.receivedAt,
      JSON.stringify(r.submittedBy),
      r.streamSeq,
    ];
    values.forEach((v, i) => cols[i].push(v));
  }
  return cols;
}
