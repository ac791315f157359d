import { createHash } from 'node:crypto';
import type { AuthContext } from '@runtrail/auth';
import type { ActionRunRecord, ScheduleFact } from '@runtrail/contracts';
import { scheduleView } from '@runtrail/contracts';
import { CronSchedule } from './cron-schedule';
import type { ScheduleState } from './schedule-store';

/**
 * A schedule's life (docs/api.md#schedules, ADR 0014) as pure rules over its state and the
 * time: created with its first fire time; due once that time has come; advanced by a firing
 * to the first fire time after the firing (so ticks missed while no replica ran fire once);
 * paused (no fire time) and resumed (the next one from then on); ended by `until`.
 */

export interface ScheduleRequest {
  id: string;
  run: ActionRunRecord;
  cron: CronSchedule;
  cronText: string;
  reason: string;
  runnerId: string | null;
  until: string | null;
  correlationId: string | null;
  auth: AuthContext;
  now: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The next fire time after `now`, or null once `until` is reached. */
export function nextFireAt(s: Pick<ScheduleState, 'cron' | 'timezone' | 'until'>, now: number): string | null {
  return iso(CronSchedule.parse(s.cron, s.timezone).nextAfter(now, s.until === null ? null : Date.parse(s.until)));
}

export function newSchedule(r: ScheduleRequest): ScheduleState {
  const at = iso(r.now) as string;
  const { principal } = r.auth;
  return {
    id: r.id,
    runId: r.run.id,
    cron: r.cronText,
    timezone: r.cron.timezone,
    reason: r.reason,
    runnerId: r.runnerId,
    until: r.until,
    nextFireAt: iso(r.cron.nextAfter(r.now, r.until === null ? null : Date.parse(r.until))),
    paused: false,
    createdAt: at,
    correlationId: r.correlationId,
    createdBy: { sourceType: principal.type, sourceId: principal.id, sourceName: principal.name },
    lastFiredAt: null,
    lastCommandId: null,
    lastError: null,
    tenantId: r.run.tenantId,
    creator: { keyId: r.auth.keyId, tenantId: r.auth.tenantId, principal, scopes: [...r.auth.scopes] },
    entityName: `${r.run.block.name}.${r.run.action}`,
    updatedAt: at,
    deleted: false,
  };
}

export function isDue(s: ScheduleState, now: number): boolean {
  return !s.paused && s.nextFireAt !== null && Date.parse(s.nextFireAt) <= now;
}

/**
 * The command id of the firing of `s` at `fireAt`: the same for every replica that tries
 * it, so the command can be created only once (a UUID in the v5 layout, from SHA-1 of both).
 */
export function firingCommandId(scheduleId: string, fireAt: string): string {
  const hash = createHash('sha1').update(`runtrail-schedule-firing:${scheduleId}:${fireAt}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The state after firing at `now`: the next fire time counts from now, not from the missed one. */
export function fired(s: ScheduleState, now: number, commandId: string): ScheduleState {
  return { ...s, nextFireAt: nextFireAt(s, now), lastFiredAt: iso(now), lastCommandId: commandId, lastError: null, updatedAt: iso(now) as string };
}

/** The state after a firing at `now` that made no command, and why. */
export function failed(s: ScheduleState, now: number, error: string): ScheduleState {
  return { ...s, lastCommandId: null, lastError: error, updatedAt: iso(now) as string };
}

/** Paused: no fire time; undefined when it is paused already (nothing to do). */
export function paused(s: ScheduleState, now: number): ScheduleState | undefined {
  return s.paused ? undefined : { ...s, paused: true, nextFireAt: null, updatedAt: iso(now) as string };
}

/** Resumed: the next fire time from now on (what was missed while paused does not fire); undefined when not paused. */
export function resumed(s: ScheduleState, now: number): ScheduleState | undefined {
  return s.paused ? { ...s, paused: false, nextFireAt: nextFireAt(s, now), updatedAt: iso(now) as string } : undefined;
}

export function deleted(s: ScheduleState, now: number): ScheduleState {
  return { ...s, paused: true, nextFireAt: null, deleted: true, updatedAt: iso(now) as string };
}

/** The fact the stream keeps of a state, with the revision that orders it. */
export function scheduleFact(s: ScheduleState, revision: number): ScheduleFact {
  return { ...scheduleView(s), tenantId: s.tenantId, revision, deleted: s.deleted };
}

/** The key a firing acts as: the schedule's creator. */
export function creatorAuth(s: ScheduleState): AuthContext {
  const { keyId, tenantId, principal, scopes } = s.creator;
  return { keyId, tenantId, principal, scopes };
}
