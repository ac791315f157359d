import { useMemo } from 'react';
import { Link } from 'react-router';
import { ok } from '../api/client';
import { listPage } from '../api/link-header';
import type { DeploymentsQuery } from '../api/types';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { FilterForm } from '../common/filter-form';
import { readFilters, writeFilters, type FilterField, type Filters } from '../common/filters';
import { formatLocal, formatUtc } from '../common/format';
import { usePageTitle } from '../common/page-title';
import { Pager } from '../common/pager';
import { ScrollTable } from '../common/table';
import { pagingQuery, readPaging, writePaging, type Paging } from '../common/url-state';
import { useRequest } from '../common/use-request';
import { useUrlState } from '../common/use-url-state';
import { RUN_STATUSES } from '../runs/run-filters';
import { cellKey, deployedAt, deploymentGrid } from './deployments-grid';

const FILTERS = [
  { param: 'workspace', label: 'Workspace' },
  { param: 'block', label: 'Block' },
  { param: 'block_from', label: 'Block reference' },
  { param: 'block_version', label: 'Block version' },
  {
    param: 'status',
    label: 'Status',
    choices: [
      { value: '', text: 'successful (default)' },
      { value: RUN_STATUSES.join(','), text: 'Any' },
      ...RUN_STATUSES.filter((s) => s !== 'successful').map((s) => ({ value: s, text: s })),
    ],
  },
] as const satisfies readonly FilterField[];

interface State extends Paging {
  filters: Filters<(typeof FILTERS)[number]['param']>;
}

/** With no page size in the URL the grid asks for the most rows the API gives in one page. */
const GRID_LIMIT = 1000;

function readState(params: URLSearchParams): State {
  return { filters: readFilters(params, FILTERS), ...readPaging(params) };
}

function writeState(state: State, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  writeFilters(params, FILTERS, state.filters);
  writePaging(params, state);
  return params;
}

/** `/deployments`: which version of each block reached each workspace last (GET /v1/deployments). */
export function DeploymentsPage() {
  usePageTitle('Deployments');
  const api = useApi();
  const [state, go] = useUrlState(readState, writeState);

  const paging = useMemo(() => ({ cursor: state.cursor, limit: state.limit ?? GRID_LIMIT }), [state]);

  const load = useMemo(() => {
    const query: DeploymentsQuery = { ...state.filters, ...pagingQuery(paging) };
    return (signal: AbortSignal) =>
      ok(api.GET('/v1/deployments', { params: { query }, signal }))
        .then(listPage)
        .then(({ rows, next }) => ({ grid: deploymentGrid(rows), next }));
  }, [api, state.filters, paging]);
  const { data, error, loading, reload } = useRequest(load);

  return (
    <>
      <h1 tabIndex={-1}>Deployments</h1>
      <FilterForm fields={FILTERS} filters={state.filters} onApply={(filters) => go({ ...state, filters, cursor: undefined })} />
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      {data ? (
        data.grid.workspaces.length === 0 ? (
          <p className="empty">No deployments match.</p>
        ) : (
          <ScrollTable caption="Deployed versions" className="grid">
            <thead>
              <tr>
                <th scope="col">Workspace</th>
                {data.grid.blocks.map((b) => (
                  <th scope="col" key={b}>
                    {b}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.grid.workspaces.map((w) => (
                <tr key={w}>
                  <th scope="row">{w}</th>
                  {data.grid.blocks.map((b) => {
                    const cell = data.grid.cells.get(cellKey(w, b));
                    if (!cell) {
                      return (
                        <td key={b} className="muted">
                          —
                        </td>
                      );
                    }
                    const at = deployedAt(cell);
                    return (
                      <td key={b} title={formatLocal(at)}>
                        <Link to={`/runs/${cell.lastRunId}`}>{cell.version ?? 'no version'}</Link>
                        <br />
                        <time dateTime={at} className="muted">
                          {formatUtc(at)}
                        </time>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        )
      ) : null}
      <Pager next={data?.next ?? null} paging={paging} onPaging={(paging) => go({ ...state, ...paging })} />
    </>
  );
}
