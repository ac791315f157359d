import { TERMINAL_STATUSES, type ActionRunReport, type Principal } from '@runtrail/contracts';

/** A report as stored: its stream position, who submitted it and when it arrived. */
export interface PositionedReport {
  /** `stream_seq * 1024 + index in message`, as a decimal string (a bigint). */
  position: string;
  report: ActionRunReport;
  submittedBy: Principal;
  receivedAt: string;
}

/** A run's merged record, before it is written. */
export interface FoldedRun {
  tenantId: string;
  run: ActionRunReport;
  /** The principal whose key sent the run's first report. */
  source: Principal;
  firstPosition: string;
  receivedAt: string;
  updatedAt: string;
}

const isTerminal = (r: ActionRunReport) => TERMINAL_STATUSES.includes(r.status);

/** Nulls of `primary` filled from `fallback`, nested objects included. */
function fill(primary: ActionRunReport, fallback: ActionRunReport): ActionRunReport {
  const pick = <T>(a: T | null, b: T | null): T | null => (a === null ? b : a);
  return {
    ...primary,
    workspace: { name: primary.workspace.name, organization: pick(primary.workspace.organization, fallback.workspace.organization) },
    block: {
      name: primary.block.name,
      from: pick(primary.block.from, fallback.block.from),
      version: pick(primary.block.version, fallback.block.version),
    },
    finishedAt: pick(primary.finishedAt, fallback.finishedAt),
    durationMs: pick(primary.durationMs, fallback.durationMs),
    exitCode: pick(primary.exitCode, fallback.exitCode),
    cliVersion: pick(primary.cliVersion, fallback.cliVersion),
    hostname: pick(primary.hostname, fallback.hostname),
    osUser: pick(primary.osUser, fallback.osUser),
    retriggeredFrom: pick(primary.retriggeredFrom, fallback.retriggeredFrom),
    commandId: pick(primary.commandId, fallback.commandId),
    // Reports stored before correlation ids existed carry none.
    correlationId: pick(primary.correlationId ?? null, fallback.correlationId ?? null),
  };
}

/**
 * Merges the reports of one run, in stream order (docs/api.md#post-v1-action-runs, ADR 0006):
 * - the first report opens the record;
 * - while the run is `running`, a later `running` report only fills what is missing,
 *   and a terminal report takes over (what it leaves out is kept);
 * - once terminal, the record never changes: a late `running` never replaces it, and
 *   a different terminal report does not either (it stays in the stream).
 * The order the reports arrived in, and repeats, do not matter: callers pass every
 * stored report of the run and the fold sorts them by position.
 */
export function foldRunReports(tenantId: string, reports: PositionedReport[]): FoldedRun {
  if (reports.length === 0) throw new Error('foldRunReports needs at least one report');
  const ordered = [...reports].sort((a, b) => {
    const d = BigInt(a.position) - BigInt(b.position);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  });
  const [first, ...rest] = ordered;
  let run: ActionRunReport = fill(first.report, first.report);
  let updatedAt = first.receivedAt;
  for (const next of rest) {
    if (next.position === first.position || isTerminal(run)) continue;
    run = isTerminal(next.report) ? fill(next.report, run) : fill(run, next.report);
    updatedAt = next.receivedAt;
  }
  return { tenantId, run, source: first.submittedBy, firstPosition: first.position, receivedAt: first.receivedAt, updatedAt };
}
