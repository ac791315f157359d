import type { Schedule } from '../api/types';

/**
 * What this page did to the run's schedules since it read the list: the schedules as the
 * API answered each create, pause or resume, and the ids it deleted. The list is read from a
 * projection that may lag those answers by a moment; the answers read the schedule's
 * authoritative state.
 */
export interface ScheduleActs {
  answered: Readonly<Record<string, Schedule>>;
  deleted: readonly string[];
}

export const NO_ACTS: ScheduleActs = { answered: {}, deleted: [] };

export const answered = (acts: ScheduleActs, schedule: Schedule): ScheduleActs => ({ ...acts, answered: { ...acts.answered, [schedule.id]: schedule } });

export const deleted = (acts: ScheduleActs, id: string): ScheduleActs => ({ ...acts, deleted: [...acts.deleted, id] });

/** The listed schedules with this page's acts applied; created ones not listed yet come first (newest first, as the list). */
export function withActs(rows: readonly Schedule[], acts: ScheduleActs): Schedule[] {
  const listed = new Set(rows.map((s) => s.id));
  const created = Object.values(acts.answered)
    .filter((s) => !listed.has(s.id))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return [...created, ...rows.map((s) => acts.answered[s.id] ?? s)].filter((s) => !acts.deleted.includes(s.id));
}

export type ScheduleState = 'paused' | 'active' | 'ended';

/** Paused; active while it has a next fire time; ended once past its `until`. */
export const scheduleState = (s: Pick<Schedule, 'paused' | 'nextFireAt'>): ScheduleState => (s.paused ? 'paused' : s.nextFireAt ? 'active' : 'ended');
