import type { EntryKind, ErasedDigests, EventEntry, ReportEntry } from '@runtrail/integrity';
import { reportEntryId } from '@runtrail/integrity';
import type { ActionRunReportRow } from '../tables/action-run-reports.table';
import { toAuditRecord, type AuditEventRow } from '../tables/audit-events.table';

/*
 * What a log entry is made of, read from the rows that hold it: the one mapping the
 * projector appends with and the query service checks with (docs/integrity.md).
 */

export function eventEntryOf(row: AuditEventRow, kind: Extract<EntryKind, 'audit-event' | 'admin-act'>, erased: ErasedDigests | null): EventEntry {
  return { kind, tenantId: row.tenantId, receivedAt: row.receivedAt, submittedBy: row.submittedBy, event: toAuditRecord(row), erased };
}

export function reportEntryOf(row: ActionRunReportRow, erased: ErasedDigests | null): ReportEntry {
  return {
    tenantId: row.tenantId,
    entryId: reportEntryId(row.tenantId, row.position),
    receivedAt: row.receivedAt,
    submittedBy: row.submittedBy,
    report: row.report,
    erased,
  };
}
