import type { StreamFilter } from '../api/types';
import { rangeQuery, type TimeRange } from '../common/time-range';
import { QUALIFIERS, parseSearch, quote } from '../timeline/search-query';

/**
 * A stream's filter is `GET /v1/audit`'s (CONTRACT §8): the timeline's search qualifiers and
 * its time range, under the same names. The console builds it with the timeline's own search
 * syntax and time range field, so an admin filters a stream as they filter the timeline.
 */
const ORDER: readonly string[] = [...QUALIFIERS, 'start', 'end'];

/**
 * `entity_type=ActionRun success=false`: the filter in a fixed order (the search's, then the
 * time range; a name the console does not know last), values with a space or quote quoted as
 * the search box quotes them. An empty filter is the empty string.
 */
export function formatStreamFilter(filter: StreamFilter): string {
  const names = Object.keys(filter);
  const known = ORDER.filter((name) => names.includes(name));
  const others = names.filter((name) => !ORDER.includes(name)).sort();
  return [...known, ...others].map((name) => `${name}=${quote(filter[name] ?? '')}`).join(' ');
}

export type StreamFilterResult = { ok: true; filter: StreamFilter } | { ok: false; error: string };

/** The filter of a new stream from the search text and the time range, or the search text's error. */
export function streamFilterOf(search: string, time: TimeRange): StreamFilterResult {
  const parsed = parseSearch(search);
  if (!parsed.ok) return parsed;
  return { ok: true, filter: { ...parsed.filters, ...rangeQuery(time) } };
}
