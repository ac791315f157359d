import { Cron } from 'croner';
import { InvalidInputError } from '@runtrail/platform';

/** Longer than any sensible five-field expression; bounds what croner is given to parse. */
export const MAX_CRON_LENGTH = 128;

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Wider than any daylight-saving shift in the zone database (at most 2 h), so no match is missed. */
const LOOK_BACK = 3 * 60 * MINUTE;
/** Enough for `* * * * *` over LOOK_BACK plus one match; an expression that never matches ends sooner. */
const MAX_STEPS = 1000;

const ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** Whether `zone` is an IANA time zone name the runtime knows (exact spelling), or `UTC`. */
export function isTimeZone(zone: string): boolean {
  return ZONES.has(zone);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let f = formats.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, f);
  }
  return f;
}

/**
 * The wall-clock time in `zone` at `instant`, written as the epoch milliseconds of the same
 * fields in UTC ("floating" local time), so wall times compare and step like numbers.
 */
function wallTime(instant: number, zone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatFor(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) + ms;
}

/**
 * The instant a wall time fires at, by the rule of docs/api.md#schedules: a wall time that
 * happens twice (clocks go back) fires at its first occurrence; one that does not happen
 * (clocks go forward) fires at the first instant after the gap, the gap's end on the wall.
 */
function instantOf(wall: number, zone: string): number {
  const offsetBefore = wallTime(wall - DAY, zone) - (wall - DAY);
  const offsetAfter = wallTime(wall + DAY, zone) - (wall + DAY);
  const exact = [wall - offsetBefore, wall - offsetAfter].filter((t) => wallTime(t, zone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // In a gap the offset grows: before the transition the wall is behind `wall`, after it ahead.
  let lo = wall - offsetAfter;
  let hi = wall - offsetBefore;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallTime(mid, zone) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * A five-field cron expression in an IANA time zone (docs/api.md#schedules). Croner parses
 * and matches the expression; the matching runs on wall-clock time (croner in UTC, which has
 * no daylight saving), and this class maps each wall time to its instant by one rule for
 * every expression. Croner's own zone handling applies that rule only to "fixed-time"
 * expressions (one minute and one hour) and runs others such as `0,30 * * * *` or
 * `30 2,14 * * *` twice in a repeated hour and not at all in a skipped one, as Vixie cron does.
 */
export class CronSchedule {
  private constructor(
    private readonly pattern: Cron,
    readonly timezone: string,
  ) {}

  /** Validates both; InvalidInputError with a message naming the field otherwise. */
  static parse(cron: string, timezone: string): CronSchedule {
    if (!isTimeZone(timezone)) throw new InvalidInputError(`timezone must be an IANA time zone name such as Europe/Berlin, or UTC`);
    if (cron.length > MAX_CRON_LENGTH) throw new InvalidInputError(`cron must be at most ${MAX_CRON_LENGTH} characters`);
    try {
      return new CronSchedule(new Cron(cron, { mode: '5-part', timezone: 'UTC' }), timezone);
    } catch (err) {
      const detail = (err as Error).message.replace(/^CronPattern:\s*/, '');
      throw new InvalidInputError(`cron must be five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1": ${detail}`);
    }
  }

  /**
   * The first fire time strictly after `after` (epoch ms), or null when there is none before
   * `until` (exclusive: a fire time equal to `until` does not fire) or none at all.
   */
  nextAfter(after: number, until: number | null = null): number | null {
    // Wall times map to instants in order (never backwards), so the first mapped instant
    // past `after` is the answer; starting LOOK_BACK early catches a skipped or repeated
    // wall time that maps to an instant after `after`.
    let wall = wallTime(after, this.timezone) - LOOK_BACK;
    for (let step = 0; step < MAX_STEPS; step++) {
      const match = this.pattern.nextRun(new Date(wall));
      if (!match) return null;
      wall = match.getTime();
      const instant = instantOf(wall, this.timezone);
      if (instant > after) return until !== null && instant >= until ? null : instant;
    }
    return null;
  }
}
