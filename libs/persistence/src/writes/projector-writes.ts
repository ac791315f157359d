import type { ReadQuery } from '../sql/read-query';
import { actionRunReportsTable, type ActionRunReportRow } from '../tables/action-run-reports.table';
import { actionRunsTable } from '../tables/action-runs.table';
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
 * Audit events: the row from the earliest stream position wins whatever the arrival
 * order. The benchmark's baseline runs this same statement.
 */
export const upsertAuditEvents = auditEventsTable.insert({
  conflict: ['tenantId', 'eventId'],
  where: `${auditEventsTable.name}.id > EXCLUDED.id`,
});

/**
 * A run's one timeline entry, rewritten from the run's folded record each time the run
 * changes (its id, the run's first stream position, stays). It only ever overwrites a
 * run entry, never an audit event that happens to share its event id.
 */
export const upsertRunTimelineEntries = auditEventsTable.insert({
  conflict: ['tenantId', 'eventId'],
  where: `${auditEventsTable.name}.entity_type = 'ActionRun' AND ${auditEventsTable.name}.action = 'Run'`,
});

/** Each report once, keyed by its stream position. */
export const insertRunReports = actionRunReportsTable.insert({ conflict: ['tenantId', 'runId', 'position'], update: 'nothing' });

/** Folded runs; a folded run is complete, so every column is replaced. */
export const upsertActionRuns = actionRunsTable.insert({ conflict: ['tenantId', 'id'] });

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
