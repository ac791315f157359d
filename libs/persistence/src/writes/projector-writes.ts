import type { ReadQuery } from '../sql/read-query';
import { actionRunReportsTable, type ActionRunReportRow } from '../tables/action-run-reports.table';
import { actionRunsTable } from '../tables/action-runs.table';
import { auditEventKeysTable } from '../tables/audit-event-keys.table';
import { auditEventsTable } from '../tables/audit-events.table';
import { commandsTable } from '../tables/commands.table';
import { deadLettersTable, projectorCheckpointsTable } from '../tables/projector-tables';
import { erasedValuesTable, integrityEntriesTable, integrityLogsTable, integrityNodesTable } from '../tables/integrity.tables';
import { schedulesTable } from '../tables/schedules.table';

/*
 * The projector's statements, each over a whole batch of rows (see Table.insert). Every
 * one is idempotent and independent of arrival order, because JetStream redelivers an
 * unacknowledged message after later ones (ADR 0003).
 */

/**
 * Writes timeline rows through their `(tenant, eventId)` key in audit_event_keys (ADR 0026):
 * a key new to the tenant inserts its row; a key whose row `replaces` holds for swaps the row
 * (the old one deleted, from whatever month it was in, the new one written); any other key
 * leaves its row alone. One statement, so a redelivered batch lands as if it came once.
 * `prior` reads the replaced keys (a key row's `xmax` is set when the upsert updated it, 0
 * when it inserted it) as they were before the statement: every part of one statement sees
 * the same snapshot, which is exact because one tenant's facts are projected by one batch
 * at a time (ADR 0020). New keys, the common case, cost no second look-up.
 */
function timelineWrite(runEntry: boolean, replaces: string) {
  const t = auditEventsTable;
  const cols = t.columnList();
  const others = t.fields.filter((f) => f !== 'id' && f !== 'receivedAt').map((f) => `${t.column(f)} = EXCLUDED.${t.column(f)}`);
  return t.write((batch) => `
    WITH b AS (${batch}),
    kept AS (
      INSERT INTO ${auditEventKeysTable.name} AS k (tenant_id, event_id, id, received_at, run_entry)
      SELECT tenant_id, event_id, id, received_at, ${runEntry} FROM b
      ON CONFLICT (tenant_id, event_id) DO UPDATE SET id = EXCLUDED.id, received_at = EXCLUDED.received_at, run_entry = EXCLUDED.run_entry
      WHERE ${replaces}
      RETURNING k.tenant_id, k.event_id, k.id, k.received_at, k.xmax <> 0 AS replaced
    ),
    prior AS (
      SELECT k.tenant_id, k.event_id, k.id, k.received_at FROM ${auditEventKeysTable.name} k
      JOIN kept n ON n.replaced AND k.tenant_id = n.tenant_id AND k.event_id = n.event_id
    ),
    gone AS (
      DELETE FROM ${t.name} a USING prior p, kept n
      WHERE n.tenant_id = p.tenant_id AND n.event_id = p.event_id AND (n.id, n.received_at) <> (p.id, p.received_at)
        AND a.id = p.id AND a.received_at = p.received_at
    )
    INSERT INTO ${t.name} (${cols})
    SELECT ${t.fields.map((f) => `b.${t.column(f)}`).join(', ')} FROM b JOIN kept n ON n.tenant_id = b.tenant_id AND n.event_id = b.event_id
    ON CONFLICT (id, received_at) DO UPDATE SET ${others.join(', ')}`);
}

/**
 * Audit events: the row from the earliest stream position wins whatever the arrival
 * order. The benchmark's baseline runs this same statement.
 */
export const upsertAuditEvents = timelineWrite(false, 'k.id > EXCLUDED.id');

/**
 * A run's one timeline entry, rewritten from the run's folded record each time the run
 * changes (its id is the run's first stream position). It only ever overwrites a run
 * entry, never an audit event that happens to share its event id.
 */
export const upsertRunTimelineEntries = timelineWrite(true, 'k.run_entry');

/** Each report once, keyed by its stream position (a position has one `received_at`, its message's). */
export const insertRunReports = actionRunReportsTable.insert({ conflict: ['tenantId', 'runId', 'position', 'receivedAt'], update: 'nothing' });

/**
 * Folded runs; a folded run is complete, so every column is replaced. The key includes the
 * partition key `received_at` (the run's first report's); a run whose first report changed
 * loses its old row first (DELETE_STALE_RUNS_SQL), so it stays one row.
 */
export const upsertActionRuns = actionRunsTable.insert({ conflict: ['tenantId', 'id', 'receivedAt'] });

/**
 * Removes runs' rows filed under a `received_at` they no longer have: an earlier report,
 * delivered late, became the run's first (ADR 0026). The bound triples name the stale rows
 * exactly, so each is one probe of the primary key in its own month.
 */
export const DELETE_STALE_RUNS_SQL = `DELETE FROM ${actionRunsTable.name} r
  USING unnest($1::text[], $2::uuid[], $3::timestamptz[]) AS k(tenant_id, id, received_at)
  WHERE r.tenant_id = k.tenant_id AND r.id = k.id AND r.received_at = k.received_at`;

/** Keeps the highest revision of each command, whatever order the facts arrive in. */
export const upsertCommands = commandsTable.insert({
  conflict: ['tenantId', 'id'],
  update: ['status', 'updatedAt', 'newRunId', 'exitCode', 'revision', 'error'],
  where: `${commandsTable.name}.revision < EXCLUDED.revision`,
});

/** Keeps the highest revision of each schedule, whatever order the facts arrive in. */
export const upsertSchedules = schedulesTable.insert({
  conflict: ['tenantId', 'id'],
  where: `${schedulesTable.name}.revision < EXCLUDED.revision`,
});

export const insertDeadLetters = deadLettersTable.insert({ conflict: ['streamSeq'], update: 'nothing' });

/** Creates a consumer's checkpoint at 0 the first time; never moves an existing one. */
export const openCheckpoint = projectorCheckpointsTable.insert({ conflict: ['consumer'], update: 'nothing' });

export const saveCheckpoint = projectorCheckpointsTable.insert({ conflict: ['consumer'], update: ['lastSeq', 'updatedAt'] });

/** Reads a checkpoint and locks it, so projector replicas apply batches one at a time. */
export const LOCK_CHECKPOINT_SQL = `SELECT last_seq FROM ${projectorCheckpointsTable.name} WHERE consumer = $1 FOR UPDATE`;

/** Every stored report of the given runs, in stream order. */
export function storedReportsOf(runs: readonly { tenantId: string; runId: string }[]): ReadQuery<ActionRunReportRow> {
  const t = actionRunReportsTable;
  return {
    text: `SELECT ${t.select('r')} FROM ${t.name} r
      JOIN unnest($1::text[], $2::uuid[]) AS k(tenant_id, run_id) ON r.tenant_id = k.tenant_id AND r.run_id = k.run_id
      ORDER BY r.tenant_id, r.run_id, r.position`,
    values: [runs.map((r) => r.tenantId), runs.map((r) => r.runId)],
    decode: (raw) => t.decode(raw),
  };
}


/** The integrity log's appends (docs/integrity.md): entries and completed subtrees are written once; the frontier row moves. */
export const insertIntegrityEntries = integrityEntriesTable.insert();
/** Written once per erased field; a replay finds it there already. */
export const insertErasedValues = erasedValuesTable.insert({ conflict: ['tenantId', 'position', 'path'], update: 'nothing' });
export const insertIntegrityNodes = integrityNodesTable.insert();
export const saveIntegrityLogs = integrityLogsTable.insert({ conflict: ['tenantId'] });

/** The logs of the given tenants, locked until the transaction ends. */
export const LOCK_INTEGRITY_LOGS_SQL = `SELECT ${integrityLogsTable.select()} FROM ${integrityLogsTable.name} WHERE tenant_id = ANY($1::text[]) FOR UPDATE`;

/** Which of the given (tenant, entry id) pairs the log already holds. */
export const LOGGED_ENTRIES_SQL = `SELECT e.tenant_id AS "tenantId", e.entry_id AS "entryId" FROM ${integrityEntriesTable.name} e
  JOIN unnest($1::text[], $2::uuid[]) AS k(tenant_id, entry_id) ON e.tenant_id = k.tenant_id AND e.entry_id = k.entry_id`;

/** An erasure (docs/integrity.md#erasure): the personal fields of one audit row, rewritten. */
export const ERASE_AUDIT_EVENT_SQL = `UPDATE ${auditEventsTable.name}
  SET entity_id = $3, entity_name = $4, source_id = $5, source_name = $6, context = $7::jsonb, changes = $8::jsonb
  WHERE tenant_id = $1 AND id = $2`;

/** An erasure: one stored run report, rewritten. */
export const ERASE_RUN_REPORT_SQL = `UPDATE ${actionRunReportsTable.name} SET report = $3::jsonb WHERE tenant_id = $1 AND position = $2`;

/** Rows by stream position, for an erasure. */
export const AUDIT_EVENTS_AT_SQL = `SELECT ${auditEventsTable.select()} FROM ${auditEventsTable.name} WHERE tenant_id = $1 AND id = ANY($2::bigint[])`;
export const RUN_REPORTS_AT_SQL = `SELECT ${actionRunReportsTable.select()} FROM ${actionRunReportsTable.name} WHERE tenant_id = $1 AND position = ANY($2::bigint[])`;
