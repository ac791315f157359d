import { Injectable } from '@nestjs/common';
import { RUN_STATUSES, type ActionRunReport, type EventEnvelope } from '@runtrail/contracts';
import {
  DELETE_STALE_RUNS_SQL,
  insertRunReports,
  storedReportsOf,
  upsertActionRuns,
  upsertRunTimelineEntries,
  toActionRunRow,
  streamPosition,
  foldRunReports,
  runTimelineEntry,
  type PositionedReport,
  writeRows,
} from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError } from '../projection/parse-envelope';

export interface StoredRunReport extends PositionedReport {
  tenantId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
      if ((r.correlationId ?? null) !== null && typeof r.correlationId !== 'string') throw new PoisonMessageError(`report ${i}: bad correlationId`);
      return {
        tenantId: envelope.tenantId,
        position: streamPosition(seq, i),
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
    await writeRows(
      em,
      insertRunReports,
      reports.map((r) => ({ tenantId: r.tenantId, runId: r.report.id, position: r.position, report: r.report, submittedBy: r.submittedBy, receivedAt: r.receivedAt })),
    );
    const arrived = new Set(reports.map((r) => `${r.tenantId}/${r.position}`));
    return this.refold(em, [...new Map(reports.map((r) => [`${r.tenantId}/${r.report.id}`, { tenantId: r.tenantId, runId: r.report.id }])).values()], arrived);
  }

  /**
   * Folds the given runs again from all their stored reports (after new reports, or an
   * erasure). Returns the runs written. `arrived` holds the positions (`tenant/position`)
   * just stored: a run whose first report is among them may have been filed before under
   * the `received_at` of a later report, whose row goes (ADR 0026).
   */
  async refold(em: EntityManager, touched: { tenantId: string; runId: string }[], arrived: ReadonlySet<string> = new Set()): Promise<number> {
    const runner = em.queryRunner;
    if (!runner) throw new Error('ActionRunProjection.refold must run inside a transaction');
    if (touched.length === 0) return 0;
    const stored = storedReportsOf(touched);
    const byRun = new Map<string, PositionedReport[]>();
    for (const raw of await runner.query(stored.text, stored.values)) {
      const row = stored.decode(raw as Record<string, unknown>);
      const key = `${row.tenantId}/${row.runId}`;
      const list = byRun.get(key) ?? [];
      list.push({ position: row.position, report: row.report, submittedBy: row.submittedBy, receivedAt: row.receivedAt });
      byRun.set(key, list);
    }
    const stale: { tenantId: string; id: string; receivedAt: string }[] = [];
    const folded = [...byRun.entries()].map(([key, list]) => {
      const run = foldRunReports(key.slice(0, key.indexOf('/')), list);
      if (arrived.has(`${run.tenantId}/${run.firstPosition}`)) {
        for (const receivedAt of new Set(list.map((r) => r.receivedAt))) {
          if (receivedAt !== run.receivedAt) stale.push({ tenantId: run.tenantId, id: run.run.id, receivedAt });
        }
      }
      return run;
    });
    if (stale.length) await runner.query(DELETE_STALE_RUNS_SQL, [stale.map((s) => s.tenantId), stale.map((s) => s.id), stale.map((s) => s.receivedAt)]);
    await writeRows(em, upsertActionRuns, folded.map(toActionRunRow));
    await writeRows(em, upsertRunTimelineEntries, folded.map(runTimelineEntry));
    return folded.length;
  }
}

