import { randomUUID } from 'node:crypto';
import type { ActionRunDto } from '@runtrail/contracts';

/** One report of an action run, as `POST /v1/action-runs` takes it (docs/api.md#post-v1-action-runs). */
export type RunReport = ActionRunDto;

/** What `runtrail run` was told about the run, plus where it runs. */
export interface RunIdentity {
  workspace: string;
  block: string;
  action: string;
  from?: string;
  blockVersion?: string;
  hostname: string;
  osUser?: string;
  cliVersion: string;
  /** resolveCorrelationId's answer; absent when there is none. */
  correlationId?: string;
}

/** How the wrapped command ended. */
export interface RunEnding {
  exitCode: number;
  /** The signal that ended the child, if one did. */
  signal?: NodeJS.Signals;
  /** runtrail forwarded SIGINT or SIGTERM to the child before it ended. */
  interrupted: boolean;
}

/** A run in progress: its id and start time, chosen once, the same in both reports. */
export interface RunStart {
  id: string;
  startedAt: Date;
}

export function newRun(now: Date = new Date()): RunStart {
  return { id: randomUUID(), startedAt: now };
}

function base(identity: RunIdentity, run: RunStart): Omit<RunReport, 'status'> {
  return {
    id: run.id,
    workspace: { name: identity.workspace },
    block: {
      name: identity.block,
      ...(identity.from !== undefined ? { from: identity.from } : {}),
      ...(identity.blockVersion !== undefined ? { version: identity.blockVersion } : {}),
    },
    action: identity.action,
    startedAt: run.startedAt.toISOString(),
    hostname: identity.hostname,
    ...(identity.osUser !== undefined ? { osUser: identity.osUser } : {}),
    cliVersion: identity.cliVersion,
    ...(identity.correlationId !== undefined ? { correlationId: identity.correlationId } : {}),
  };
}

/** The report sent when the command starts. */
export function startReport(identity: RunIdentity, run: RunStart): RunReport {
  return { ...base(identity, run), status: 'running' };
}

/**
 * `successful` for exit code 0; `aborted` when the child was ended by SIGINT or SIGTERM,
 * or exited non-zero after runtrail forwarded one of them to it (a command that traps
 * Ctrl-C, cleans up and exits 130 was aborted too); `failed` otherwise.
 */
export function endStatus(ending: RunEnding): 'successful' | 'failed' | 'aborted' {
  if (ending.exitCode === 0) return 'successful';
  if (ending.signal === 'SIGINT' || ending.signal === 'SIGTERM' || ending.interrupted) return 'aborted';
  return 'failed';
}

/** The report sent when the command has ended. */
export function endReport(identity: RunIdentity, run: RunStart, ending: RunEnding, finishedAt: Date = new Date()): RunReport {
  // Clocks can step backwards during a run; the contract wants finishedAt >= startedAt.
  const finished = finishedAt.getTime() < run.startedAt.getTime() ? run.startedAt : finishedAt;
  return {
    ...base(identity, run),
    status: endStatus(ending),
    finishedAt: finished.toISOString(),
    exitCode: ending.exitCode,
  };
}

/** A report's identity in the spool: one line per run and status. */
export function reportKey(report: Pick<RunReport, 'id' | 'status'>): string {
  return `${report.id}/${report.status}`;
}
