const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `2026-12-01 09:45:32`: the instant in UTC, to the second (column headers say "(UTC)"). */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** The same instant in the browser's time zone, for a title on hover. */
export function formatLocal(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `Local time: ${d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}${zone ? ` (${zone})` : ''}`;
}

/**
 * A duration as people read it: `850 ms`, `12 s`, `1 m 05 s`, `2 h 03 m 09 s`,
 * `3 d 04 h 10 m`. Whole units, rounded down; null (a run still going) is an em dash.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.floor(ms)} ms`;
  const totalSeconds = Math.floor(ms / 1000);
  const s = totalSeconds % 60;
  const totalMinutes = Math.floor(totalSeconds / 60);
  const m = totalMinutes % 60;
  const totalHours = Math.floor(totalMinutes / 60);
  const h = totalHours % 24;
  const d = Math.floor(totalHours / 24);
  if (totalMinutes === 0) return `${s} s`;
  if (totalHours === 0) return `${m} m ${pad(s)} s`;
  if (d === 0) return `${h} h ${pad(m)} m ${pad(s)} s`;
  return `${d} d ${pad(h)} h ${pad(m)} m`;
}

/**
 * `Sun 2026-12-06 02:30`: the instant as the clocks of `timeZone` (an IANA name) show it, to
 * the minute, for what a schedule reads in its own zone.
 */
export function formatInZone(instant: string | Date, timeZone: string): string {
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return String(instant);
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const part = Object.fromEntries(format.formatToParts(d).map((p) => [p.type, p.value]));
  return `${part.weekday} ${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}
