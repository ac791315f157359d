import type { ChartConfiguration } from 'chart.js';
import { useId, useMemo } from 'react';
import { ok } from '../api/client';
import type { RunStatsBucket } from '../api/types';
import { useApi } from '../common/api-context';
import { ErrorAlert, Loading } from '../common/feedback';
import { FilterForm } from '../common/filter-form';
import { readFilters, writeFilters } from '../common/filters';
import { formatDuration } from '../common/format';
import { usePageTitle } from '../common/page-title';
import { ScrollTable } from '../common/table';
import { readTimeRange, writeTimeRange, type TimeRange } from '../common/time-range';
import { TimeRangeField } from '../common/time-range-field';
import { useRequest } from '../common/use-request';
import { usePinnedTime, useUrlState } from '../common/use-url-state';
import { RUN_FILTERS, runsFilterQuery, type RunFilters } from '../runs/run-filters';
import { ChartCanvas } from './chart-canvas';
import { INTERVALS, bucketLabel, durationSummary, failureRate, failureSummary, per, runsSummary, type Interval } from './stats-series';

interface InsightsState {
  filters: RunFilters;
  time: TimeRange;
  interval: Interval;
}

function readInsights(params: URLSearchParams): InsightsState {
  const raw = params.get('interval');
  return {
    filters: readFilters(params, RUN_FILTERS),
    time: readTimeRange(params),
    interval: (INTERVALS as readonly string[]).includes(raw ?? '') ? (raw as Interval) : 'day',
  };
}

function writeInsights(state: InsightsState, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  writeFilters(params, RUN_FILTERS, state.filters);
  writeTimeRange(params, state.time);
  params.delete('interval');
  if (state.interval !== 'day') params.set('interval', state.interval);
  return params;
}

// Colours of the status badges (styles.css), so a status looks the same everywhere.
const COLOURS = { successful: '#1a7f37', failed: '#cf222e', aborted: '#9a6700', running: '#0969da', p50: '#0969da', p95: '#8250df' };

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: 'bottom' } },
} as const;

/** `/insights`: GET /v1/action-runs/stats with the run filters: runs by status, durations, failure rate. */
export default function InsightsPage() {
  usePageTitle('Insights');
  const api = useApi();
  const intervalId = useId();
  const [state, go] = useUrlState(readInsights, writeInsights);
  const pinning = usePinnedTime(state, go);

  const load = useMemo(
    () =>
      pinning
        ? null
        : (signal: AbortSignal) =>
            ok(api.GET('/v1/action-runs/stats', { params: { query: { ...runsFilterQuery(state), interval: state.interval } }, signal })).then(
              (r) => r.data,
            ),
    [api, state, pinning],
  );
  const { data, error, loading, reload } = useRequest(load);

  return (
    <>
      <h1 tabIndex={-1}>Insights</h1>
      <div className="toolbar">
        <TimeRangeField value={state.time} onChange={(time) => go({ ...state, time })} />
        <div className="field">
          <label htmlFor={intervalId}>Interval</label>
          <select id={intervalId} value={state.interval} onChange={(e) => go({ ...state, interval: e.target.value as Interval })}>
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {i}
              </option>
            ))}
          </select>
        </div>
      </div>
      <FilterForm fields={RUN_FILTERS} filters={state.filters} onApply={(filters) => go({ ...state, filters })} />
      <Loading busy={loading} />
      <ErrorAlert error={error} onRetry={reload} />
      {data ? (
        data.length === 0 ? (
          <p className="empty">No runs match these filters.</p>
        ) : (
          <Charts buckets={data} interval={state.interval} />
        )
      ) : null}
    </>
  );
}

function Charts({ buckets, interval }: { buckets: RunStatsBucket[]; interval: Interval }) {
  const labels = useMemo(() => buckets.map((b) => bucketLabel(b.bucketStart, interval)), [buckets, interval]);
  const unit = interval === 'day' ? 'Day' : interval[0]?.toUpperCase() + interval.slice(1);

  const runsChart = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels,
        datasets: (['successful', 'failed', 'aborted', 'running'] as const).map((status) => ({
          label: status,
          data: buckets.map((b) => b[status]),
          backgroundColor: COLOURS[status],
        })),
      },
      options: { ...BASE_OPTIONS, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'runs' } } } },
    }),
    [buckets, labels],
  );

  const durationChart = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels,
        datasets: [
          { label: 'p50', data: buckets.map((b) => (b.p50DurationMs === null ? null : b.p50DurationMs / 1000)), borderColor: COLOURS.p50, backgroundColor: COLOURS.p50 },
          { label: 'p95', data: buckets.map((b) => (b.p95DurationMs === null ? null : b.p95DurationMs / 1000)), borderColor: COLOURS.p95, backgroundColor: COLOURS.p95 },
        ],
      },
      options: { ...BASE_OPTIONS, spanGaps: true, scales: { y: { beginAtZero: true, title: { display: true, text: 'seconds' } } } },
    }),
    [buckets, labels],
  );

  const failureChart = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels,
        datasets: [{ label: 'failure rate (%)', data: buckets.map((b) => failureRate(b)), borderColor: COLOURS.failed, backgroundColor: COLOURS.failed }],
      },
      options: { ...BASE_OPTIONS, spanGaps: true, scales: { y: { beginAtZero: true, suggestedMax: 100, title: { display: true, text: '% of finished runs' } } } },
    }),
    [buckets, labels],
  );

  return (
    <div className="charts">
      <section className="chart" aria-labelledby="insights-runs">
        <h2 id="insights-runs">Runs by status</h2>
        <ChartCanvas config={runsChart} label={runsSummary(buckets, interval)} />
        <ScrollTable caption={`Runs per ${per(interval)} by status`}>
          <thead>
            <tr>
              <th scope="col">{unit} (UTC)</th>
              <th scope="col">Successful</th>
              <th scope="col">Failed</th>
              <th scope="col">Aborted</th>
              <th scope="col">Running</th>
              <th scope="col">Total</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => (
              <tr key={b.bucketStart}>
                <th scope="row">{labels[i]}</th>
                <td>{b.successful}</td>
                <td>{b.failed}</td>
                <td>{b.aborted}</td>
                <td>{b.running}</td>
                <td>{b.total}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </section>
      <section className="chart" aria-labelledby="insights-durations">
        <h2 id="insights-durations">Duration p50 and p95</h2>
        <ChartCanvas config={durationChart} label={durationSummary(buckets, interval)} />
        <ScrollTable caption={`Duration p50 and p95 per ${per(interval)}`}>
          <thead>
            <tr>
              <th scope="col">{unit} (UTC)</th>
              <th scope="col">p50</th>
              <th scope="col">p95</th>
              <th scope="col">Average</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => (
              <tr key={b.bucketStart}>
                <th scope="row">{labels[i]}</th>
                <td>{formatDuration(b.p50DurationMs)}</td>
                <td>{formatDuration(b.p95DurationMs)}</td>
                <td>{formatDuration(b.avgDurationMs)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </section>
      <section className="chart" aria-labelledby="insights-failures">
        <h2 id="insights-failures">Failure rate</h2>
        <ChartCanvas config={failureChart} label={failureSummary(buckets, interval)} />
        <ScrollTable caption={`Failure rate per ${per(interval)}`}>
          <thead>
            <tr>
              <th scope="col">{unit} (UTC)</th>
              <th scope="col">Failed</th>
              <th scope="col">Finished</th>
              <th scope="col">Failure rate</th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b, i) => {
              const rate = failureRate(b);
              return (
                <tr key={b.bucketStart}>
                  <th scope="row">{labels[i]}</th>
                  <td>{b.failed}</td>
                  <td>{b.successful + b.failed + b.aborted}</td>
                  <td>{rate === null ? '—' : `${rate}%`}</td>
                </tr>
              );
            })}
          </tbody>
        </ScrollTable>
      </section>
    </div>
  );
}
