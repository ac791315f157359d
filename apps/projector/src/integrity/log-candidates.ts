import { Injectable } from '@nestjs/common';
import { TenantDigests, eventEntryBytes, reportEntryBytes, type ErasedDigests } from '@runtrail/integrity';
import { leafHash } from '@runtrail/merkle';
import { eventEntryOf, reportEntryOf, type AuditEventRow } from '@runtrail/persistence';
import { mapPaced } from '@runtrail/platform';
import type { StoredRunReport } from '../action-runs/action-run.projection';
import type { LogCandidate } from './integrity-log.appender';

/**
 * Turns a batch's rows into log entries with their canonical bytes, by the mapping the query
 * service checks them with. Paced (mapPaced): it runs while another transaction's statements
 * wait for their replies.
 */
@Injectable()
export class LogCandidates {
  constructor(private readonly digests: TenantDigests) {}

  /** `erased[i]`: the erased fields of row i, with their digests. */
  ofAuditRows(rows: AuditEventRow[], act: boolean, erased: ErasedDigests[] = []): Promise<LogCandidate[]> {
    const kind = act ? 'admin-act' : 'audit-event';
    return mapPaced(rows, (row, i) => ({
      tenantId: row.tenantId,
      position: row.id,
      entryId: row.eventId,
      kind,
      ref: row.eventId,
      receivedAt: row.receivedAt,
      leaf: leafHash(eventEntryBytes(eventEntryOf(row, kind, erased[i] ?? null), this.digests.of(row.tenantId))),
    }));
  }

  ofReports(reports: StoredRunReport[], erased: ErasedDigests[] = []): Promise<LogCandidate[]> {
    return mapPaced(reports, (r, i) => {
      const row = { tenantId: r.tenantId, runId: r.report.id, position: r.position, report: r.report, submittedBy: r.submittedBy, receivedAt: r.receivedAt };
      const entry = reportEntryOf(row, erased[i] ?? null);
      return {
        tenantId: r.tenantId,
        position: r.position,
        entryId: entry.entryId,
        kind: 'action-run-report',
        ref: r.report.id,
        receivedAt: r.receivedAt,
        leaf: leafHash(reportEntryBytes(entry, this.digests.of(r.tenantId))),
      };
    });
  }
}
