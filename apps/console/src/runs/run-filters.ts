import type { RunsQuery } from '../api/types';
import { readFilters, writeFilters, type FilterField, type Filters } from '../common/filters';
import { pagingQuery, readPaging, writePaging, type Paging } from '../common/url-state';
import { rangeQuery, readTimeRange, writeTimeRange, type TimeRange } from '../common/time-range';

export const RUN_STATUSES = ['running', 'successful', 'failed', 'aborted'] as const;

/** The run filters of GET /v1/action-runs (docs/api.md#get-v1-action-runs), in the URL under their API names. */
export const RUN_FILTERS = [
  { param: 'block', label: 'Block' },
  { param: 'action', label: 'Action' },
  { param: 'status', label: 'Status', choices: [{ value: '', text: 'Any' }, ...RUN_STATUSES.map((s) => ({ value: s, text: s }))] },
  { param: 'workspace', label: 'Workspace' },
  { param: 'hostname', label: 'Host' },
  { param: 'organization', label: 'Organization' },
  { param: 'block_from', label: 'Block reference' },
  { param: 'block_version', label: 'Block version' },
  { param: 'exit_code', label: 'Exit code', numeric: true },
  { param: 'os_user', label: 'OS user' },
  { param: 'cli_version', label: 'CLI version' },
  { param: 'source_name', label: 'Submitted by' },
  { param: 'retriggered_from', label: 'Re-triggered from' },
  { param: 'correlation_id', label: 'Correlation id' },
] as const satisfies readonly FilterField[];

export type RunFilterParam = (typeof RUN_FILTERS)[number]['param'];
export type RunFilters = Filters<RunFilterParam>;

export interface RunsState extends Paging {
  filters: RunFilters;
  time: TimeRange;
}

export function readRunsState(params: URLSearchParams): RunsState {
  return { filters: readFilters(params, RUN_FILTERS), time: readTimeRange(params), ...readPaging(params) };
}

export function writeRunsState(state: RunsState, base: URLSearchParams = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  writeFilters(params, RUN_FILTERS, state.filters);
  writeTimeRange(params, state.time);
  writePaging(params, state);
  return params;
}

/** The filters (and time range) as the API's query, without paging: also what stats and downloads take. */
export function runsFilterQuery(state: Pick<RunsState, 'filters' | 'time'>): Omit<RunsQuery, 'limit' | 'offset' | 'cursor' | 'download' | 'format'> {
  return { ...state.filters, ...rangeQuery(state.time) };
}

export function runsPageQuery(state: RunsState): RunsQuery {
  return { ...runsFilterQuery(state), ...pagingQuery(state) };
}
