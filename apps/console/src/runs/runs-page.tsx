import { useMemo } from 'react';
import { Link } from 'react-router';
import { ok } from '../api/client';
import { listPage, type ListPage } from '../api/link-header';
import type { ActionRun } from '../api/types';
import { useApi } from '../common/api-context';
import { CorrelationLinks } from '../common/correlation-links';
import { DownloadButtons, saveDownload, type DownloadFormat } from '../common/download-buttons';
import { ErrorAlert, Loading } from '../common/feedback';
import { FilterForm } from '../common/filter-form';
import { formatDuration } from '../common/format';
import { usePageTitle } from '../common/page-title';
import { Pager } from '../common/pager';
import { EmptyRow, ScrollTable, StatusBadge } from '../common/table';
import { TimeCell } from '../common/time';
import { TimeRangeField } from '../common/time-range-field';
import { useRequest } from '../common/use-request';
import { usePinnedTime, useUrlState } from '../common/use-url-state';
import { RUN_FILTERS, readRunsState, runsFilterQuery, runsPageQuery, writeRunsState } from './run-filters';

type Page = ListPage<ActionRun>;

/** The name of a run's link: `<block> <action>`. */
export const runName = (run: Pick<ActionRun, 'block' | 'action'>) => `${run.block.name} ${run.action}`;

/** `/runs`: GET /v1/action-runs with its filters, one page at a time. */
export function RunsPage() {
  usePageTitle('Runs');
  const api = useApi();
  const [state, go] = useUrlState(readRunsState, writeRunsState);
  const pinning = usePinnedTime(state, go);

  const load = useMemo(
    () =>
      pinning
        ? null
        : (signal: AbortSignal): Promise<Page> =>
            ok(api.GET('/v1/action-runs', { params: { query: runsPageQuery(state) }, signal })).then(listPage),
    [api, state, pinning],
  );
  const { data, error, loading, reload } = useRequest(load);

  const download = (format: DownloadFormat) =>
    saveDownload(
      api.GET('/v1/action-runs', { params: { query: { ...runsFilterQuery(state), download: 'true', format } }, parseAs: 'blob' }),
      `action-runs.${format}`,
    );

  return (
    <>
      <h1 tabIndex={-1}>Runs</h1>
      <div className="toolbar">
        <TimeRangeField value={state.time} onChange={(time) => go({ ...state, time, cursor: undefined })} />
        <DownloadButtons download={download} />
      </div>
      <FilterForm fields={RUN_FILTERS} filters={state.filters} onApply={(filters) => go({ ...state, filters, cursor: undefined })} />
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      <ScrollTable caption="Action runs">
        <thead>
          <tr>
            <th scope="col">Started (UTC)</th>
            <th scope="col">Block</th>
            <th scope="col">Action</th>
            <th scope="col">Status</th>
            <th scope="col">Duration</th>
            <th scope="col">Host</th>
            <th scope="col">Correlation</th>
          </tr>
        </thead>
        <tbody>
          {!data ? null : data.rows.length === 0 ? (
            <EmptyRow columns={7}>No runs match.</EmptyRow>
          ) : (
            data.rows.map((run) => (
              <tr key={run.id}>
                <TimeCell iso={run.startedAt} />
                <td>
                  <Link to={`/runs/${run.id}`}>
                    {run.block.name}
                    <span className="visually-hidden"> {run.action}</span>
                  </Link>
                </td>
                <td>{run.action}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td className="nowrap">{formatDuration(run.durationMs)}</td>
                <td>{run.hostname ?? <span className="muted">—</span>}</td>
                <td>{run.correlationId ? <CorrelationLinks id={run.correlationId} /> : <span className="muted">—</span>}</td>
              </tr>
            ))
          )}
        </tbody>
      </ScrollTable>
      <Pager next={data?.next ?? null} paging={state} onPaging={(paging) => go({ ...state, ...paging })} />
    </>
  );
}
