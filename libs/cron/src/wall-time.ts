const DAY = 24 * 60 * 60_000;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(zone, format);
  }
  return format;
}

/**
 * The wall-clock time in `zone` at `instant` (epoch ms), written as the epoch milliseconds of
 * the same fields in UTC ("floating" local time), so wall times compare and step like numbers.
 */
export function wallTime(instant: number, zone: string): number {
  const f: Record<string, number> = {};
  for (const p of formatFor(zone).formatToParts(new Date(instant))) if (p.type !== 'literal') f[p.type] = Number(p.value);
  const ms = ((instant % 1000) + 1000) % 1000;
  return Date.UTC(f.year ?? 0, (f.month ?? 1) - 1, f.day ?? 1, f.hour ?? 0, f.minute ?? 0, f.second ?? 0) + ms;
}

/**
 * The instant a wall time fires at, by the rule of docs/api.md#schedules: a wall time that
 * happens twice (clocks go back) fires at its first occurrence; one that does not happen
 * (clocks go forward) fires at the first instant after the gap, the gap's end on the wall.
 */
export function instantOf(wall: number, zone: string): number {
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
