import type { ActionRunReport, Principal } from '@runtrail/contracts';
import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * Every report of every run, once, keyed by its stream position (`stream_seq * 1024 +
 * index`). Folding a run's reports in position order gives the same record whatever
 * order they arrived in, or how often.
 */
export const actionRunReportsTable = defineTable('action_run_reports', {
  tenantId: col.text().primary(),
  runId: col.uuid().primary(),
  position: col.position().primary(),
  report: col.json<ActionRunReport>(),
  submittedBy: col.json<Principal>(),
  /** The partition key (monthly, docs/adr/0026-time-partitions.md); one per position, as the message has one. */
  receivedAt: col.timestamp().primary(),
});

export type ActionRunReportRow = RowOf<typeof actionRunReportsTable.columns>;
