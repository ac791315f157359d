/** Who created a schedule; its firings are re-triggers in this principal's name. */
export interface ScheduleCreator {
  sourceType: 'User' | 'Application';
  sourceId: string | null;
  sourceName: string;
}

/** A schedule as the API answers it (docs/api.md#schedules). */
export interface ScheduleView {
  id: string;
  runId: string;
  cron: string;
  timezone: string;
  reason: string;
  runnerId: string | null;
  until: string | null;
  /** When it fires next; null while paused or once past `until`. */
  nextFireAt: string | null;
  paused: boolean;
  createdAt: string;
  correlationId: string | null;
  createdBy: ScheduleCreator;
  lastFiredAt: string | null;
  lastCommandId: string | null;
  /** Why the last firing made no command; null when it did. */
  lastError: string | null;
}

/** What the stream keeps of each change of a schedule, ordered by the KV revision; `deleted` once it is gone. */
export interface ScheduleFact extends ScheduleView {
  tenantId: string;
  revision: number;
  deleted: boolean;
}

/** A schedule's answer fields, taken from any record that holds them (its stored state, its projected row). */
export function scheduleView(s: ScheduleView): ScheduleView {
  const { id, runId, cron, timezone, reason, runnerId, until, nextFireAt, paused, createdAt, correlationId, createdBy, lastFiredAt, lastCommandId, lastError } = s;
  return { id, runId, cron, timezone, reason, runnerId, until, nextFireAt, paused, createdAt, correlationId, createdBy, lastFiredAt, lastCommandId, lastError };
}
