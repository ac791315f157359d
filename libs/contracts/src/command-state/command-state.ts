export const COMMAND_STATUSES = ['queued', 'dispatched', 'accepted', 'running', 'succeeded', 'failed', 'expired'] as const;
export type CommandStatus = (typeof COMMAND_STATUSES)[number];

/** A command that no runner has taken yet; past its expiry it is `expired`. */
export const WAITING_STATUSES: readonly CommandStatus[] = ['queued', 'dispatched'];

/** A re-trigger command as the API answers it (docs/api.md#get-v1-commands-id). */
export interface CommandView {
  id: string;
  runId: string;
  runnerId: string;
  status: CommandStatus;
  reason: string | null;
  requestedBy: { sourceType: 'User' | 'Application'; sourceId: string | null; sourceName: string };
  requestedAt: string;
  updatedAt: string;
  expiresAt: string;
  newRunId: string | null;
  exitCode: number | null;
  /** The schedule whose firing created the command; null for a re-trigger by hand. */
  scheduleId: string | null;
  /**
   * Why the service failed the command (its runner went silent past the lease); null
   * otherwise, and for a failure the runner reported itself (its `exitCode` says why).
   */
  error: string | null;
}

/** The status a reader sees: a waiting command past its expiry is expired. */
export function effectiveStatus(status: CommandStatus, expiresAt: string, now = Date.now()): CommandStatus {
  return WAITING_STATUSES.includes(status) && Date.parse(expiresAt) <= now ? 'expired' : status;
}

/** A command's answer fields, taken from any record that holds them (its stored state, its projected row). */
export function commandView(c: CommandView): CommandView {
  const { id, runId, runnerId, status, reason, requestedBy, requestedAt, updatedAt, expiresAt, newRunId, exitCode } = c;
  // Commands stored before schedules (or leases) existed have no scheduleId (or error).
  return { id, runId, runnerId, status, reason, requestedBy, requestedAt, updatedAt, expiresAt, newRunId, exitCode, scheduleId: c.scheduleId ?? null, error: c.error ?? null };
}

/** What a reader sees of a command at `now`: a waiting command past its expiry reads as expired. */
export function commandViewAt(c: CommandView, now: number): CommandView {
  return { ...commandView(c), status: effectiveStatus(c.status, c.expiresAt, now) };
}
