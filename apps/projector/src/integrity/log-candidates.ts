import { Injectable } from '@nestjs/common';
import { TenantDigests, eventEntryBytes, reportEntryBytes } from '@runtrail/integrity';
import { eventEntryOf, reportEntryOf, type AuditEventRow } from '@runtrail/persistence';
import type { StoredRunReport } from '../action-runs/action-run.projection';
import type { LogCandidate } from './integrity-log.appender';

/** Turns a batch's rows into log entries with their canonical bytes, by the mapping the query service checks them with. */
@Injectable()
export class LogCandidates {
  constructor(private readonly digests: TenantDigests) {}

  ofAuditRows(rows: AuditEventRow[], act: boolean): LogCandidate[] {
    const kind = act ? 'admin-act' : 'audit-event';
    return rows.map((row) => ({
      tenantId: row.tenantId,
      position: row.id,
      entryId: row.eventId,
      kind,
      ref: row.eventId,
      receivedAt: row.receivedAt,
      bytes: eventEntryBytes(eventEntryOf(row, kind, null), this.digests.of(row.tenantId)),
    }));
  }

  ofReports(reports: StoredRunReport[]): LogCandidate[] {
    return reports.map((r) => {
      const entry = reportEntryOf({ tenantId: r.tenantId, runId: r.report.id, position: r.position, report: r.report, submittedBy: r.submittedBy, receivedAt: r.receivedAt }, null);
      return {
        tenantId: r.tenantId,
        position: r.position,
        entryId: entry.entryId,
        kind: 'action-run-report',
        ref: r.report.id,
        receivedAt: r.receivedAt,
        bytes: reportEntryBytes(entry, this.digests.of(r.tenantId)),
      };
    });
  }
}
