import { Injectable } from '@nestjs/common';
import { RUN_STATUSES, withoutTag, type ActionRunReport, type EventEnvelope, type Principal } from '@runtrail/contracts';
import {
  INSERT_RUN_REPORTS_SQL,
  SELECT_RUN_REPORTS_SQL,
  UPSERT_ACTION_RUNS_SQL,
  UPSERT_RUN_TIMELINE_SQL,
  actionRunColumns,
  auditEventColumns,
} from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError, recordId } from '../projection/parse-envelope';
import { foldRunReports, type PositionedReport } from './fold-run-reports';
import { runTimelineEntry } from './run-timeline-entry';

export interface StoredRunReport extends PositionedReport {
  tenantId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ReportRow {
  tenant_id: string;
  run_id: string;
  position: string;
  report: ActionRunReport;
  submitted_by: Principal;
  received_at: Date;
}

/**
 * Projects action-run reports. Every report is stored once under its stream
 * position; then each run the batch touched is folded again from all its reports,
 * in stream order, into `action_runs` and into its one timeline entry. So the
 * result does not depend on arrival order or repeats.
 */
@Injectable()
export class ActionRunProjection {
  /** Checks one message's reports (throws PoisonMessageError). */
  reports(seq: number, envelope: EventEnvelope<unknown>): StoredRunReport[] {
    return envelope.events.map((raw, i) => {
      const r = raw as ActionRunReport;
      if (!r || typeof r.id !== 'string' || !UUID.test(r.id)) throw new PoisonMessageError(`report ${i}: bad id`);
      if (!RUN_STATUSES.includes(r.status)) throw new PoisonMessageError(`report ${i}: bad status`);
      if (!r.workspace?.name || !r.block?.name || typeof r.action !== 'string') {
        throw new PoisonMessageError(`report ${i}: workspace, block or action missing`);
      }
      if (typeof r.startedAt !== 'string' || Number.isNaN(Date.parse(r.startedAt))) {
        throw new PoisonMessageError(`report ${i}: bad startedAt`);
      }
      return {
        tenantId: envelope.tenantId,
        position: recordId(seq, i),
        report: r,
        submittedBy: envelope.submitter,
        receivedAt: envelope.receivedAt,
      };
    });
  }

  /** Stores the reports and rewrites every run they belong to. Returns the runs written. */
  async apply(em: EntityManager, reports: StoredRunReport[]): Promise<number> {
    const runner = em.queryRunner;
    if (!runner) throw new Error('ActionRunProjection.apply must run inside a transaction');
    if (reports.length === 0) return 0;
    await runner.query(INSERT_RUN_REPORTS_SQL, [
      reports.map((r) => r.tenantId),
      reports.map((r) => r.report.id),
      reports.map((r) => r.position),
      reports.map((r) => JSON.stringify(r.report)),
      reports.map((r) => JSON.stringify(r.submittedBy)),
      reports.map((r) => r.receivedAt),
    ]);
    const touched = [...new Map(reports.map((r) => [`${r.tenantId}/${r.report.id}`, r])).values()];
    const stored: ReportRow[] = await runner.query(SELECT_RUN_REPORTS_SQL, [
      touched.map((r) => r.tenantId),
      touched.map((r) => r.report.id),
    ]);
    const byRun = new Map<string, PositionedReport[]>();
    for (const row of stored) {
      const key = `${row.tenant_id}/${row.run_id}`;
      const list = byRun.get(key) ?? [];
      list.push({ position: row.position, report: row.report, submittedBy: row.submitted_by, receivedAt: row.received_at.toISOString() });
      byRun.set(key, list);
    }
    const folded = [...byRun.entries()].map(([key, list]) => foldRunReports(key.slice(0, key.indexOf('/')), list));
    await runner.query(
      UPSERT_ACTION_RUNS_SQL,
      actionRunColumns(
        folded.map((f) => ({
          tenantId: f.tenantId,
          run: f.run,
          blockFromBase: f.run.block.from === null ? null : withoutTag(f.run.block.from),
          source: f.source,
          receivedAt: f.receivedAt,
          updatedAt: f.updatedAt,
          firstPosition: f.firstPosition,
        })),
      ),
    );
    await runner.query(UPSERT_RUN_TIMELINE_SQL, auditEventColumns(folded.map(runTimelineEntry)));
    return folded.length;
  }
}
