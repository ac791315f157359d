import type { ReadQuery } from '../sql/read-query';
import { actionRunReportsTable, type ActionRunReportRow } from '../tables/action-run-reports.table';
import { auditEventsTable, type AuditEventRow } from '../tables/audit-events.table';
import { notARunEntry } from './integrity-reads';

/*
 * The rows that may hold a personal value, for an erasure (docs/integrity.md#erasure): the
 * rows of entries (a row the log does not have is erased too), not a run's merged record
 * and timeline entry, which are folded from its reports again. A `changes` value is matched on its JSON text here and
 * exactly by the caller (libs/integrity eventFieldsHolding).
 */

export function auditEntriesHolding(tenantId: string, value: string): ReadQuery<AuditEventRow> {
  const t = auditEventsTable;
  return {
    text: `SELECT ${t.select('a')} FROM ${t.name} a
      WHERE a.tenant_id = $1 AND ${notARunEntry('a')} AND (
        a.entity_id = $2 OR a.entity_name = $2 OR a.source_id = $2 OR a.source_name = $2
        OR EXISTS (SELECT 1 FROM jsonb_each_text(a.context) c WHERE c.value = $2)
        OR strpos(a.changes::text, $3) > 0)
      ORDER BY a.id`,
    values: [tenantId, value, JSON.stringify(value)],
    decode: (raw) => t.decode(raw),
  };
}

export function reportEntriesHolding(tenantId: string, value: string): ReadQuery<ActionRunReportRow> {
  const t = actionRunReportsTable;
  return {
    text: `SELECT ${t.select('r')} FROM ${t.name} r
      WHERE r.tenant_id = $1 AND (r.report->>'hostname' = $2 OR r.report->>'osUser' = $2)
      ORDER BY r.position`,
    values: [tenantId, value],
    decode: (raw) => t.decode(raw),
  };
}
