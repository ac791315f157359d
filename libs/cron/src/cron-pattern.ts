import { Cron } from 'croner';
import { instantOf, wallTime } from './wall-time';

/** The longest expression taken: longer than any sensible five fields, and a bound on what croner parses. */
export const MAX_CRON_LENGTH = 128;

/** A parsed five-field expression, matched on the wall clock; see `parseCronPattern`. */
export type CronPattern = Cron;

/** Why croner refused an expression, in croner's words without its `CronPattern:` prefix. */
export class CronPatternError extends Error {
  override readonly name = 'CronPatternError';
}

const MINUTE = 60_000;
/** Wider than any daylight-saving shift in the zone database (at most 2 h), so no match is missed. */
const LOOK_BACK = 3 * 60 * MINUTE;
/** Enough for `* * * * *` over LOOK_BACK plus one match; an expression that never matches ends sooner. */
const MAX_STEPS = 1000;

/**
 * Croner's standard five-field mode (minute precision; no seconds or years; its `L`, `#` and
 * nicknames such as `@weekly`), matched in UTC, which has no daylight saving, so the matches
 * are wall times. No function is given: croner only computes, it schedules nothing.
 */
export function parseCronPattern(expression: string): CronPattern {
  try {
    return new Cron(expression, { mode: '5-part', timezone: 'UTC' });
  } catch (err) {
    throw new CronPatternError((err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, ''));
  }
}

/**
 * The first fire time (epoch ms) of `pattern` in the IANA zone `zone` strictly after `after`,
 * or null when there is none before `until` (exclusive: a fire time equal to `until` does not
 * fire) or none at all.
 *
 * Each matching wall time maps to its instant by one rule for every expression (`instantOf`).
 * Croner's own zone handling keeps that rule only for "fixed-time" expressions (one minute
 * and one hour) and runs others such as `0,30 * * * *` or `30 2,14 * * *` twice in a repeated
 * hour and not at all in a skipped one, as Vixie cron does; hence the matching in UTC here.
 */
export function nextFireAfter(pattern: CronPattern, zone: string, after: number, until: number | null = null): number | null {
  // Wall times map to instants in order (never backwards), so the first mapped instant past
  // `after` is the answer; starting LOOK_BACK early catches a skipped or repeated wall time
  // that maps to an instant after `after`.
  let wall = wallTime(after, zone) - LOOK_BACK;
  for (let step = 0; step < MAX_STEPS; step++) {
    const match = pattern.nextRun(new Date(wall));
    if (!match) return null;
    wall = match.getTime();
    const instant = instantOf(wall, zone);
    if (instant > after) return until !== null && instant >= until ? null : instant;
  }
  return null;
}
