import type { AuditQuery } from '../api/types';
import { pagingQuery, readPaging, writePaging, type Paging } from '../common/url-state';
import { rangeQuery, readTimeRange, writeTimeRange, type TimeRange } from '../common/time-range';
import { parseSearch } from './search-query';

/**
 * Everything the timeline shows is in its URL: `q` (the search text), `range`, `start`,
 * `end`, `cursor`, `limit` and `record` (the record whose detail is open). Other keys
 * (an embed link's `token`) are left as they are.
 */
export interface TimelineState extends Paging {
  q: string;
  time: TimeRange;
  record?: string | undefined;
}

export function readTimelineState(params: URLSearchParams): TimelineState {
  return {
    q: params.get('q')?.trim() ?? '',
    time: readTimeRange(params),
    ...readPaging(params),
    record: params.get('record') || undefined,
  };
}

/** Writes the state into a copy of `base`, keys in a fixed order, empty values left out. */
export function writeTimelineState(state: TimelineState, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of ['q', 'range', 'start', 'end', 'limit', 'cursor', 'record']) params.delete(key);
  if (state.q) params.set('q', state.q);
  writeTimeRange(params, state.time);
  writePaging(params, state);
  if (state.record) params.set('record', state.record);
  return params;
}

/** The filters of GET /v1/audit for this state (no paging), or the search text's error. */
export function auditFilters(state: TimelineState): { ok: true; query: AuditQuery } | { ok: false; error: string } {
  const parsed = parseSearch(state.q);
  if (!parsed.ok) return parsed;
  const { success, source_type, ...rest } = parsed.filters;
  return {
    ok: true,
    query: {
      ...rest,
      ...(success === 'true' || success === 'false' ? { success } : {}),
      ...(source_type === 'User' || source_type === 'Application' ? { source_type } : {}),
      ...rangeQuery(state.time),
    },
  };
}

/** One page of GET /v1/audit for this state. */
export function auditPageQuery(state: TimelineState): { ok: true; query: AuditQuery } | { ok: false; error: string } {
  const filters = auditFilters(state);
  return filters.ok ? { ok: true, query: { ...filters.query, ...pagingQuery(state) } } : filters;
}
