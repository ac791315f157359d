import { deliverReports, type DeliveryResult, type ReportSink } from './report-delivery';
import type { ReportSpool, RejectedReport } from './report-spool';
import { reportKey, type RunReport } from './run-report';

/** How long reporting may take; every figure in milliseconds. */
export interface ReportBudget {
  /** For the spool and the start report, from the start (they go while the command runs). */
  startMs: number;
  /** For everything still to do once the command has ended: the one shared deadline. */
  endMs: number;
  /** Per HTTP attempt, so a server that never answers is cut. */
  timeoutMs: number;
  /**
   * After a failure this recent, the end report goes straight to the spool: the API
   * that was down, hanging or refusing the key a moment ago will not be better now.
   */
  recentFailureMs: number;
}

/**
 * Fail-safe figures: the command's exit is delayed by at most `endMs` (plus writing the
 * spool); the promise is at most 2 s (apps/cli/README.md#fail-safe-time-budget-spool-rejected-reports).
 */
export const DEFAULT_REPORT_BUDGET: ReportBudget = { startMs: 1500, endMs: 1500, timeoutMs: 1000, recentFailureMs: 10_000 };

interface Phase extends DeliveryResult {
  /** When it ended (epoch ms). */
  at: number;
}

export interface ReporterDeps {
  sink: ReportSink;
  spool: ReportSpool;
  /** Never to appear in a warning (the API key). */
  secrets?: string[];
  budget?: ReportBudget;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Reports one run, best effort (apps/cli/README.md#fail-safe-time-budget-spool-rejected-reports). `begin` sends what the spool holds and the
 * start report while the command runs; `finish`, once it has ended, sends the end report
 * and whatever is still undelivered under one deadline, then keeps what did not get
 * through in the spool and moves what the API refused as invalid to rejected.jsonl.
 * It never throws; its result is the warning lines to print (at most one per kind).
 */
export class RunReporter {
  private readonly budget: ReportBudget;
  private start?: RunReport;
  private startPhase?: Promise<Phase>;

  constructor(private readonly deps: ReporterDeps) {
    this.budget = deps.budget ?? DEFAULT_REPORT_BUDGET;
  }

  /** Starts delivering the spool (oldest first) and `start`, in one request when possible; returns at once. */
  begin(start: RunReport): void {
    this.start = start;
    const deadline = Date.now() + this.budget.startMs;
    this.startPhase = (async (): Promise<Phase> => {
      let spooled: RunReport[] = [];
      try {
        spooled = this.deps.spool.read();
      } catch {
        // An unreadable spool is left alone: this run is still worth reporting.
      }
      const result = await deliverReports([...spooled, start], this.deps.sink, {
        deadline,
        timeoutMs: this.budget.timeoutMs,
        secrets: this.deps.secrets,
      });
      return { ...result, at: Date.now() };
    })().catch((error: unknown) => ({
      delivered: [],
      rejected: [],
      undelivered: [start],
      problem: error instanceof Error ? error.message : String(error),
      at: Date.now(),
    }));
  }

  /** After the command ended. `hurry` (a signal to runtrail meanwhile) gives up at once. */
  async finish(end: RunReport, hurry?: AbortSignal): Promise<string[]> {
    const deadline = Date.now() + this.budget.endMs;
    const own = new Set([end, ...(this.start ? [this.start] : [])].map(reportKey));
    const first = await this.startResult(deadline, hurry);

    const pending = [...first.undelivered, end];
    const recentFailure = first.problem !== undefined && Date.now() - first.at < this.budget.recentFailureMs;
    const second: DeliveryResult = recentFailure
      ? { delivered: [], rejected: [], undelivered: pending, problem: first.problem }
      : await deliverReports(pending, this.deps.sink, { deadline, timeoutMs: this.budget.timeoutMs, hurry, secrets: this.deps.secrets });

    const rejected: RejectedReport[] = [...first.rejected, ...second.rejected];
    const undeliveredOwn = second.undelivered.filter((r) => own.has(reportKey(r)));
    const warnings: string[] = [];
    let dropped = 0;
    let droppedRejected = 0;
    let spoolProblem: string | undefined;
    try {
      ({ dropped, droppedRejected } = this.deps.spool.settle({
        remove: [...first.delivered, ...second.delivered],
        add: undeliveredOwn,
        reject: rejected,
      }));
    } catch (error) {
      spoolProblem = (error as { code?: unknown }).code ? String((error as { code?: unknown }).code) : String(error);
    }

    if (undeliveredOwn.length > 0) {
      const why = second.problem ?? first.problem ?? 'not sent';
      if (spoolProblem) {
        warnings.push(`could not report the run (${why}); could not keep it in ${this.deps.spool.path} either (${spoolProblem})`);
      } else {
        const full = dropped > 0 ? ` (the spool was full: dropped the ${plural(dropped, 'oldest report')})` : '';
        warnings.push(`could not report the run (${why}); kept for the next run in ${this.deps.spool.path}${full}`);
      }
    } else if (dropped > 0) {
      warnings.push(`the spool was full: dropped the ${plural(dropped, 'oldest report')} from ${this.deps.spool.path}`);
    }
    if (rejected.length > 0) {
      const ownRejected = rejected.some((r) => own.has(reportKey(r.report)));
      const what = ownRejected && rejected.length === 1 ? 'the report of this run' : plural(rejected.length, 'report');
      const kept = spoolProblem ? `could not move it to ${this.deps.spool.rejectedPath} (${spoolProblem})` : `moved to ${this.deps.spool.rejectedPath}`;
      const trimmed = droppedRejected > 0 ? `, dropping the ${plural(droppedRejected, 'oldest')} there` : '';
      warnings.push(`the API refused ${what} as invalid (${rejected[0].reason}); ${kept}${trimmed}, not to be sent again`);
    }
    return warnings;
  }

  /** The start phase's result, or, if it is still running at the deadline, the start report as undelivered. */
  private async startResult(deadline: number, hurry?: AbortSignal): Promise<Phase> {
    const gaveUp = (problem: string): Phase => ({ delivered: [], rejected: [], undelivered: this.start ? [this.start] : [], problem, at: Date.now() });
    if (!this.startPhase) return { delivered: [], rejected: [], undelivered: [], at: 0 };
    let timer: NodeJS.Timeout | undefined;
    let onHurry: (() => void) | undefined;
    const giveUp = new Promise<Phase>((resolve) => {
      timer = setTimeout(() => resolve(gaveUp('no answer in time')), Math.max(0, deadline - Date.now()));
      onHurry = () => resolve(gaveUp('stopped by a signal'));
      if (hurry?.aborted) onHurry();
      else hurry?.addEventListener('abort', onHurry);
    });
    try {
      return await Promise.race([this.startPhase, giveUp]);
    } finally {
      clearTimeout(timer);
      if (onHurry) hurry?.removeEventListener('abort', onHurry);
    }
  }
}

/** What `runtrail flush` did. */
export interface FlushResult {
  delivered: number;
  rejected: RejectedReport[];
  /** Spooled reports not delivered this time (still in the spool). */
  left: number;
  problem?: string;
  dropped: number;
}

/** Sends the whole spool (oldest first) within `deadline`; keeps what did not get through. */
export async function flushSpool(spool: ReportSpool, sink: ReportSink, options: { deadline: number; timeoutMs: number; secrets?: string[] }): Promise<FlushResult> {
  const spooled = spool.read();
  if (spooled.length === 0) return { delivered: 0, rejected: [], left: 0, dropped: 0 };
  const result = await deliverReports(spooled, sink, options);
  const { droppedRejected } = spool.settle({ remove: result.delivered, reject: result.rejected });
  return {
    delivered: result.delivered.length,
    rejected: result.rejected,
    left: result.undelivered.length,
    problem: result.problem,
    dropped: droppedRejected,
  };
}
