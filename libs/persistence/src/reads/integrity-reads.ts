import type { ReadQuery } from '../sql/read-query';
import { actionRunReportsTable, type ActionRunReportRow } from '../tables/action-run-reports.table';
import { auditEventsTable, type AuditEventRow } from '../tables/audit-events.table';
import { erasedValuesTable, integrityEntriesTable, integrityRemovalsTable, type ErasedValueRow, type IntegrityEntryRow, type IntegrityRemovalRow } from '../tables/integrity.tables';

/*
 * What verification and export read of a tenant's log (docs/integrity.md#verification):
 * the log's entries in index order, and, beside them, the rows readers see in stream
 * position order, so an entry whose row is gone, a row no entry made, and a row moved to
 * another position are all found. Each read covers a window of positions `(after, until]`
 * (`until` null: to the end), so a large log is read a window at a time.
 */

/** Entries `[from, to)` of the log, oldest first, at most `limit`. */
export function logEntriesFrom(tenantId: string, from: number, to: number, limit: number): ReadQuery<IntegrityEntryRow> {
  const t = integrityEntriesTable;
  return {
    text: `SELECT ${t.select()} FROM ${t.name} WHERE tenant_id = $1 AND idx >= $2 AND idx < $3 ORDER BY idx LIMIT $4`,
    values: [tenantId, from, to, limit],
    decode: (raw) => t.decode(raw),
  };
}

/** Which of these entry ids the log holds at index `from` or later: entries appended after a stretch was read. */
export function entriesLoggedFrom(tenantId: string, entryIds: string[], from: number): ReadQuery<string> {
  return {
    text: `SELECT entry_id::text AS id FROM ${integrityEntriesTable.name} WHERE tenant_id = $1 AND entry_id = ANY($2::uuid[]) AND idx >= $3`,
    values: [tenantId, entryIds, from],
    decode: (raw) => String(raw.id),
  };
}

/**
 * An audit row that is not a run's timeline entry (alias `a`): that one is derived from the
 * run's reports, at the position of the run's first report, and is no entry of the log.
 */
export function notARunEntry(a: string): string {
  return `NOT (${a}.action = 'Run' AND ${a}.entity_type = 'ActionRun'
    AND EXISTS (SELECT 1 FROM ${actionRunReportsTable.name} r WHERE r.tenant_id = ${a}.tenant_id AND r.position = ${a}.id))`;
}

const WINDOW = (column: string) => `${column} > $2::bigint AND ($3::bigint IS NULL OR ${column} <= $3::bigint)`;

/**
 * The audit rows readers see in a window, but a run's timeline entry: that one is derived
 * from the run's reports (it sits at the position of the run's first report) and checked
 * against them instead.
 */
export function auditRowsIn(tenantId: string, after: string, until: string | null): ReadQuery<AuditEventRow> {
  const t = auditEventsTable;
  return {
    text: `SELECT ${t.select('a')} FROM ${t.name} a
      WHERE a.tenant_id = $1 AND ${WINDOW('a.id')}
        AND ${notARunEntry('a')}
      ORDER BY a.id`,
    values: [tenantId, after, until],
    decode: (raw) => t.decode(raw),
  };
}

export function reportRowsIn(tenantId: string, after: string, until: string | null): ReadQuery<ActionRunReportRow> {
  const t = actionRunReportsTable;
  return {
    text: `SELECT ${t.select('r')} FROM ${t.name} r WHERE r.tenant_id = $1 AND ${WINDOW('r.position')} ORDER BY r.position`,
    values: [tenantId, after, until],
    decode: (raw) => t.decode(raw),
  };
}

export function erasedValuesIn(tenantId: string, after: string, until: string | null): ReadQuery<ErasedValueRow> {
  const t = erasedValuesTable;
  return {
    text: `SELECT ${t.select('v')} FROM ${t.name} v WHERE v.tenant_id = $1 AND ${WINDOW('v.position')}`,
    values: [tenantId, after, until],
    decode: (raw) => t.decode(raw),
  };
}

/** How much of the tenant's log retention removed (no row: nothing). */
export function logRemoval(tenantId: string): ReadQuery<IntegrityRemovalRow> {
  const t = integrityRemovalsTable;
  return { text: `SELECT ${t.select()} FROM ${t.name} WHERE tenant_id = $1`, values: [tenantId], decode: (raw) => t.decode(raw) };
}
