import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/**
 * Cron expressions as the query service reads them (contract §9, docs/api.md#schedules):
 * croner, the server's library at the same version, in its standard five-field mode (minute
 * precision; no seconds or years), matched on the wall clock of an IANA time zone, each wall
 * time mapped to its instant by the service's one rule (its `CronSchedule`, which the console
 * cannot import): a wall time the clocks skip fires at the end of the gap, a repeated one at
 * its first occurrence. Croner's own zone handling keeps that rule for fixed-time
 * expressions only. The reading in words is cronstrue's.
 */
export const CRON_FIELDS = 'minute, hour, day of month, month, day of week';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Wider than any daylight-saving shift (at most 2 h), so no skipped or repeated match is missed. */
const LOOK_BACK = 3 * 60 * MINUTE;
/** Enough for `* * * * *` over LOOK_BACK plus one match. */
const MAX_STEPS = 1000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `zone` at `instant`, as the epoch ms of the same fields in UTC. */
function wallTime(instant: number, zone: string): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formats.set(zone, format);
  }
  const f: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') f[p.type] = Number(p.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0) + ms;
}

/** The instant a wall time fires at: its first occurrence, or the end of the gap it falls in. */
function instantOf(wall: number, zone: string): number {
  const offsetBefore = wallTime(wall - DAY, zone) - (wall - DAY);
  const offsetAfter = wallTime(wall + DAY, zone) - (wall + DAY);
  const exact = [wall - offsetBefore, wall - offsetAfter].filter((t) => wallTime(t, zone) === wall);
  if (exact.length > 0) return Math.min(...exact);
  let lo = wall - offsetAfter;
  let hi = wall - offsetBefore;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallTime(mid, zone) > wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The first fire time strictly after `after`, or null when none comes before `until` (exclusive). */
function nextAfter(pattern: Cron, zone: string, after: number, until: number | null): number | null {
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

/** The expression in words (`At 02:30, only on Sunday`), or null when cronstrue cannot read it. */
export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron.trim(), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

export type CronPreview = { ok: true; reading: string | null; next: Date[] } | { ok: false; error: string };

function cronError(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '');
  if (/parts/.test(message)) return `Write five fields: ${CRON_FIELDS} (seconds are not taken).`;
  return `Not a valid cron expression: ${message}`;
}

/**
 * What a schedule would do: its reading and its next `count` fire times after `from`, in
 * `timezone`, none at or after `until`; or why the expression is refused.
 */
export function previewCron(cron: string, timezone: string, from: Date, until?: Date, count = 3): CronPreview {
  const pattern = cron.trim();
  if (!pattern) return { ok: false, error: `Write five fields: ${CRON_FIELDS}.` };
  let job: Cron;
  try {
    // On the wall clock (UTC has no daylight saving); no function: croner only computes.
    job = new Cron(pattern, { mode: '5-part', timezone: 'UTC' });
  } catch (err) {
    return { ok: false, error: cronError(err) };
  }
  const next: Date[] = [];
  let after = from.getTime();
  while (next.length < count) {
    const at = nextAfter(job, timezone, after, until ? until.getTime() : null);
    if (at === null) break;
    next.push(new Date(at));
    after = at;
  }
  return { ok: true, reading: describeCron(pattern), next };
}
