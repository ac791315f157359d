import { WAITING_STATUSES, commandView, effectiveStatus, type ActionRunRecord, type CommandStatus, type CommandView, type Principal } from '@runtrail/contracts';
import { ConflictError } from '@runtrail/platform';
import type { CommandState } from './command-store';

/**
 * A command's life (docs/api.md#re-trigger-commands, ADR 0007), as pure rules over its state and the time:
 * created waiting for its runner (dispatched or queued) until it expires; taken by the
 * runner (accepted); then reported running, succeeded or failed.
 */

/** Which status a runner may report from which. */
const NEXT: Partial<Record<CommandStatus, readonly CommandStatus[]>> = {
  accepted: ['running', 'succeeded', 'failed'],
  running: ['succeeded', 'failed'],
};

export interface CommandRequest {
  id: string;
  run: ActionRunRecord;
  runnerId: string;
  /** Whether the runner is online: the command is then dispatched, else queued. */
  online: boolean;
  reason: string | null;
  /** The schedule whose firing this is, if any. */
  scheduleId: string | null;
  correlationId: string | null;
  requestedBy: Principal;
  /** When it is requested, in epoch milliseconds. */
  now: number;
  ttlSeconds: number;
}

/** A new command for a run: waiting for its runner for `ttlSeconds`. */
export function newCommand(r: CommandRequest): CommandState {
  const requestedAt = new Date(r.now).toISOString();
  return {
    id: r.id,
    tenantId: r.run.tenantId,
    runId: r.run.id,
    runnerId: r.runnerId,
    status: r.online ? 'dispatched' : 'queued',
    reason: r.reason,
    requestedBy: { sourceType: r.requestedBy.type, sourceId: r.requestedBy.id, sourceName: r.requestedBy.name },
    requestedAt,
    updatedAt: requestedAt,
    expiresAt: new Date(r.now + r.ttlSeconds * 1000).toISOString(),
    newRunId: null,
    exitCode: null,
    scheduleId: r.scheduleId,
    error: null,
    workspace: r.run.workspace.name,
    block: r.run.block.name,
    action: r.run.action,
    blockFrom: r.run.block.from,
    blockVersion: r.run.block.version,
    correlationId: r.correlationId,
  };
}

/** The fact the stream keeps of a state: its stored status, and the revision that orders it. */
export function commandFact(c: CommandState, revision: number): CommandView & { tenantId: string; revision: number } {
  return { ...commandView(c), tenantId: c.tenantId, revision };
}

/**
 * Why the runner may not take the command at `now`, or undefined when it may. A waiting
 * command past its expiry is never taken, and should be recorded as expired.
 * `requestedId` is the id as the runner wrote it, for the message.
 */
export function refusalToAccept(c: CommandState, requestedId: string, now: number): { error: ConflictError; recordExpiry: boolean } | undefined {
  const waiting = WAITING_STATUSES.includes(c.status);
  if (effectiveStatus(c.status, c.expiresAt, now) === 'expired') {
    return { error: new ConflictError(`command ${requestedId} expired at ${c.expiresAt}`), recordExpiry: waiting };
  }
  if (!waiting) return { error: new ConflictError(`command ${requestedId} was already ${c.status}`), recordExpiry: false };
  return undefined;
}

/** A command its runner took and has not finished: it holds a lease kept alive by the runner's heartbeats. */
export const LEASED_STATUSES: readonly CommandStatus[] = ['accepted', 'running'];

/** What the lease sweep knows of the runner holding a command. */
export interface LeaseHolder {
  name: string;
  /** Its last heartbeat; undefined when it never sent one. */
  lastSeenAt: string | undefined;
}

/**
 * Why the service fails a taken command at `now`, or undefined while its lease holds: the
 * lease runs `leaseSeconds` from the runner's last sign of life, its last heartbeat or its
 * last word on this command (accept or a report), whichever is later. A command that was
 * finished meanwhile is never failed.
 */
export function expiredLease(c: CommandState, holder: LeaseHolder, now: number, leaseSeconds: number): string | undefined {
  if (!LEASED_STATUSES.includes(c.status)) return undefined;
  const lastSign = Math.max(Date.parse(c.updatedAt), holder.lastSeenAt === undefined ? -Infinity : Date.parse(holder.lastSeenAt));
  if (now - lastSign < leaseSeconds * 1000) return undefined;
  return `the runner ${holder.name} stopped heartbeating; lease of ${leaseSeconds} s expired`;
}

/** Refuses (409) a report the lifecycle does not allow from the command's status. */
export function assertMayReport(requestedId: string, from: CommandStatus, to: CommandStatus): void {
  if (!(NEXT[from] ?? []).includes(to)) throw new ConflictError(`command ${requestedId} cannot go from ${from} to ${to}`);
}

export type CommandChanges = Partial<Pick<CommandState, 'newRunId' | 'exitCode' | 'error'>>;

/** The state after moving to `status` at `at`. */
export function movedTo(c: CommandState, status: CommandStatus, changes: CommandChanges, at: string): CommandState {
  return { ...c, ...changes, status, updatedAt: at };
}
