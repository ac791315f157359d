import { Injectable } from '@nestjs/common';
import type { LogProblem } from '@runtrail/integrity';
import {
  TenantReader,
  actionRunsById,
  actionRunsTable,
  auditEventsTable,
  auditRowsByEventId,
  foldRunReports,
  runEntryEventId,
  runTimelineEntry,
  storedReportsOf,
  toActionRunRow,
  type PositionedReport,
} from '@runtrail/persistence';

/** Where a run's check is reported: its first report's entry. */
export interface RunAnchor {
  index: number;
  entryId: string;
}

/** Runs checked per round trip. */
const RUNS_PER_READ = 500;

/**
 * Every merged action run must equal the merge of its reports, and its timeline entry the
 * entry the projector derives from that merge (CONTRACT §6): a run or a `Run` entry edited
 * in Postgres is found though neither is an entry of the log. Both are folded here by the
 * projector's own code (libs/persistence/src/projection).
 */
@Injectable()
export class RunChecks {
  constructor(private readonly reader: TenantReader) {}

  /** The first run (by its anchor's index) whose merged record or timeline entry is not what its reports give. */
  async firstProblem(tenantId: string, runs: Map<string, RunAnchor>): Promise<LogProblem | null> {
    let first: LogProblem | null = null;
    const ids = [...runs.keys()];
    for (let i = 0; i < ids.length; i += RUNS_PER_READ) {
      const chunk = ids.slice(i, i + RUNS_PER_READ);
      const reports = new Map<string, PositionedReport[]>();
      const stored = storedReportsOf(chunk.map((runId) => ({ tenantId, runId })));
      for (const raw of await this.reader.query<Record<string, unknown>>(tenantId, stored.text, stored.values)) {
        const r = stored.decode(raw);
        const report = { position: r.position, report: r.report, submittedBy: r.submittedBy, receivedAt: r.receivedAt };
        const list = reports.get(r.runId);
        if (list) list.push(report);
        else reports.set(r.runId, [report]);
      }
      const merged = new Map((await this.reader.read(tenantId, actionRunsById(tenantId, chunk))).map((r) => [r.id, r]));
      const entries = new Map((await this.reader.read(tenantId, auditRowsByEventId(tenantId, chunk.map(runEntryEventId)))).map((r) => [r.eventId, r]));
      for (const runId of chunk) {
        const anchor = runs.get(runId) as RunAnchor;
        if (first && first.index <= anchor.index) continue;
        const list = reports.get(runId);
        const detail = this.differences(tenantId, runId, list, merged, entries);
        if (detail) first = { index: anchor.index, entryId: anchor.entryId, kind: 'modified', detail };
      }
    }
    return first;
  }

  private differences(
    tenantId: string,
    runId: string,
    list: PositionedReport[] | undefined,
    merged: Map<string, ReturnType<typeof actionRunsTable.decode>>,
    entries: Map<string, ReturnType<typeof auditEventsTable.decode>>,
  ): string | null {
    // Reports gone are found as missing entries; nothing to fold here.
    if (!list?.length) return null;
    const folded = foldRunReports(tenantId, list);
    const run = merged.get(runId);
    if (!run) return `run ${runId} has reports but no merged record`;
    const runFields = actionRunsTable.differingFields(toActionRunRow(folded), run);
    if (runFields.length) return `run ${runId} differs from the merge of its reports in ${runFields.join(', ')}`;
    const entry = entries.get(runEntryEventId(runId));
    if (!entry) return `run ${runId} has no timeline entry`;
    const entryFields = auditEventsTable.differingFields(runTimelineEntry(folded), entry);
    return entryFields.length ? `the timeline entry of run ${runId} differs from its reports in ${entryFields.join(', ')}` : null;
  }
}
