/**
 * Date parsing shared by the gateway (event times) and the query service (filters).
 * `Date.parse` is too lenient for an audit system: it rolls 2022-02-30 over to
 * March 2 and reads zone-less strings in the machine's local zone, so every form
 * is matched explicitly and its calendar fields are checked.
 */

const ZONED_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_ONLY = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{2}):(\d{2})$/;

/**
 * Milliseconds since the epoch of a UTC calendar time; fields past their range roll
 * over. Unlike `Date.UTC`, years 0 to 99 stay themselves (Date.UTC reads them as
 * 1900 to 1999, so `0001-01-01` became 1901).
 */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

function validFields(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  const daysInMonth = new Date(utcMillis(y, mo + 1, 0)).getUTCDate();
  return d <= daysInMonth;
}

/**
 * Instants from 0001-01-01 to 9999-12-31 (UTC). An offset can push a four-digit year
 * outside (`0000-01-01T00:00:00+01:00`), and neither year 0 nor a five-digit year
 * survives the round trip through `toISOString()` into Postgres.
 */
const FIRST_INSTANT = utcMillis(1, 1, 1);
const LAST_INSTANT = utcMillis(10000, 1, 1) - 1;

function inRange(millis: number): boolean {
  return millis >= FIRST_INSTANT && millis <= LAST_INSTANT;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 23 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A full ISO-8601 date-time with a zone (`Z` or `±hh:mm`), else undefined. */
export function parseZonedDateTime(value: string): Date | undefined {
  const m = ZONED_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = m[6] === undefined ? 0 : Number(m[6]);
  if (!validFields(y, mo, d, h, mi, s)) return undefined;
  const offset = zoneOffsetMinutes(m[8]);
  if (offset === undefined) return undefined;
  // Times are kept to the millisecond: finer digits are truncated, not rounded up.
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, '0').slice(0, 3));
  const millis = utcMillis(y, mo, d, h, mi, s, ms) - offset * 60_000;
  return inRange(millis) ? new Date(millis) : undefined;
}

export type DateBound = 'start' | 'end';

/**
 * A `start`/`end` query filter as the audit API accepts it: `yyyy-M-d`,
 * `yyyy-M-dTh:mm:ss` (both UTC) or a full ISO-8601 date-time with zone.
 *
 * Returns the instant the bound stands for, as an exclusive upper limit for `end`:
 * a date-only end covers that whole day, a date-time end covers the whole second (or
 * minute) it names (times are stored to the millisecond, and `end=…T09:45:32` is meant
 * to include an event at 09:45:32.069), and an end with milliseconds that millisecond.
 */
export function parseDateBound(value: string, bound: DateBound): Date | undefined {
  let m = DATE_ONLY.exec(value);
  if (m) {
    const [y, mo, d] = [m[1], m[2], m[3]].map(Number);
    if (!validFields(y, mo, d) || !inRange(utcMillis(y, mo, d))) return undefined;
    return new Date(utcMillis(y, mo, bound === 'end' ? d + 1 : d));
  }
  m = LOCAL_DATE_TIME.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number);
    if (!validFields(y, mo, d, h, mi, s) || !inRange(utcMillis(y, mo, d, h, mi, s))) return undefined;
    return new Date(utcMillis(y, mo, d, h, mi, bound === 'end' ? s + 1 : s));
  }
  const zoned = parseZonedDateTime(value);
  if (!zoned) return undefined;
  if (bound === 'start') return zoned;
  // The end covers the whole unit it was written to: minute, second or millisecond.
  const precisionMs = /T\d{2}:\d{2}(Z|[+-])/.test(value) ? 60_000 : /\.\d+/.test(value) ? 1 : 1000;
  return new Date(zoned.getTime() + precisionMs);
}
