/**
 * The `Time range` of the timeline, runs and insights, as it lives in the URL: `range`
 * (`1h`, `24h`, `7d`, `custom`; absent for any time) with `start` and `end` in a form the
 * API reads (docs/api.md#dates-in-start-and-end). A preset writes the `start` it stands for
 * at the moment it is chosen, so that a link shows what its sender saw and a page cursor
 * (bound to the filters) stays valid while paging.
 */
export type RangeKey = 'any' | '1h' | '24h' | '7d' | 'custom';
export type PresetKey = '1h' | '24h' | '7d';

export interface TimeRange {
  range: RangeKey;
  start?: string | undefined;
  end?: string | undefined;
}

export const RANGE_OPTIONS: readonly { value: RangeKey; label: string }[] = [
  { value: 'any', label: 'Any time' },
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: 'custom', label: 'Custom range' },
];

const PRESET_MS: Record<PresetKey, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 };

export const isPreset = (r: RangeKey): r is PresetKey => r in PRESET_MS;

/** `2026-12-01T09:45:32Z`: UTC to the second, a form the API reads. */
export function isoSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** When a preset begins if chosen at `now`. */
export function presetStart(key: PresetKey, now: Date = new Date()): string {
  return isoSeconds(new Date(now.getTime() - PRESET_MS[key]));
}

const nonEmpty = (v: string | null): string | undefined => (v === null || v.trim() === '' ? undefined : v.trim());

export function readTimeRange(params: URLSearchParams): TimeRange {
  const start = nonEmpty(params.get('start'));
  const end = nonEmpty(params.get('end'));
  const raw = params.get('range');
  const range: RangeKey = raw === '1h' || raw === '24h' || raw === '7d' || raw === 'custom' ? raw : start || end ? 'custom' : 'any';
  if (range === 'any') return { range };
  return { range, start, end: isPreset(range) ? undefined : end };
}

export function writeTimeRange(params: URLSearchParams, value: TimeRange): void {
  params.delete('range');
  params.delete('start');
  params.delete('end');
  if (value.range === 'any') return;
  params.set('range', value.range);
  if (value.start) params.set('start', value.start);
  if (value.end && !isPreset(value.range)) params.set('end', value.end);
}

/** A preset without its start (a hand-written link) is pinned to now before anything loads. */
export function needsPin(value: TimeRange): boolean {
  return isPreset(value.range) && !value.start;
}

/** The preset with the start it stands for at `now`; anything else as it is. */
export function pinPreset(value: TimeRange, now: Date = new Date()): TimeRange {
  return isPreset(value.range) && !value.start ? { range: value.range, start: presetStart(value.range, now) } : value;
}

/** `start`/`end` for the API, or nothing for any time. */
export function rangeQuery(value: TimeRange): { start?: string; end?: string } {
  return {
    ...(value.start ? { start: value.start } : {}),
    ...(value.end ? { end: value.end } : {}),
  };
}

/**
 * A datetime-local value (`2026-12-01T09:45`, read as UTC) as the API's zoned form
 * `2026-12-01T09:45Z`, which as an `end` covers its whole minute.
 */
export function fromDateTimeLocal(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d{1,3})?)?$/.exec(value.trim());
  return m ? `${m[1]}${m[2] ?? ''}Z` : undefined;
}

/** The URL's start or end back in a datetime-local field, when it is in a form the field shows. */
export function toDateTimeLocal(value: string | undefined): string {
  if (!value) return '';
  const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (date) return `${date[1]}-${date[2]?.padStart(2, '0')}-${date[3]?.padStart(2, '0')}T00:00`;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?(\.\d{1,3})?Z?$/.exec(value);
  if (!m) return '';
  return m[2] && m[2] !== ':00' ? `${m[1]}${m[2]}` : `${m[1]}`;
}

export function rangeLabel(value: TimeRange): string {
  return RANGE_OPTIONS.find((o) => o.value === value.range)?.label ?? 'Any time';
}
