import { RUN_STATUSES, type RunStatus } from '@runtrail/contracts';
import { decodeDeployment, type Deployment, type RunFilter, type RunStatsBucket, type RunStatsGroup, type RunStatsInterval } from './action-run-reads';
import type { PageWindow, ReadQuery } from '../sql/read-query';
import { SqlWhere } from '../sql/sql-where';
import { DurationHistogram } from './run-duration-histogram';

/**
 * Reads of the run aggregates that triggers on `action_runs` keep (migration
 * 1764700000000-run-aggregates, docs/adr/0024). Each builder answers `undefined` when the
 * filters ask for more than its table holds; the caller then reads the runs themselves.
 */
export const RUN_AGGREGATE_TABLES = ['action_run_stats', 'action_run_deployments', 'action_run_durations'] as const;

/**
 * Up to this many matching runs, stats are read from the runs (exact percentiles, about as
 * cheap as the aggregates at that size); beyond, percentiles come from the histograms.
 * Reading the runs costs about 2 µs a run (1,900 runs: 4.3 ms; 8,200 runs, a month of the
 * benchmark's tenant at 1M rows: 16 ms, against 2.7 ms from the aggregates).
 */
export const EXACT_STATS_MAX_RUNS = 2_000;

/** The dimensions `action_run_stats` is split by besides status, and the filter of each. */
const DIMENSIONS = {
  workspace: 'workspace',
  block: 'block',
  action: 'action',
  block_version: 'blockVersion',
} as const satisfies Record<Exclude<RunStatsGroup, 'status'>, keyof RunFilter>;
type Dimension = keyof typeof DIMENSIONS;

/** Filters the aggregates do not depend on at all. */
const TIME_AND_STATUS: (keyof RunFilter)[] = ['statuses', 'start', 'endExclusive'];

const DAY_MS = 86_400_000;
const isMidnight = (d: Date) => d.getTime() % DAY_MS === 0;
const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const nextMonthStart = (d: Date) => (d.getTime() === monthStart(d).getTime() ? d : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)));

/**
 * A row of the stats read, bucketed by the interval already: the runs of a bucket (and
 * group) per status, and durations (`finished`, their sum and histogram) to merge into it.
 */
export interface RunStatsRow {
  /** The bucket's start, as `toISOString()` writes it. */
  bucket: string;
  group: string | null | undefined;
  runs: Record<RunStatus, number>;
  finished: number;
  durationSum: number;
  histogram: Buffer | null;
}

/**
 * The stats rows that answer `GET /v1/action-runs/stats`, in the answer's order, or
 * undefined when the table cannot: an `interval=hour`, a `start`/`end` that is not a
 * UTC midnight, a filter on a field it is not split by (hostname, exit_code, …), or two
 * dimensions at once (a filter on one and a group or filter on another). Days serve
 * day and week buckets and the partial months at a range's edges; months serve the
 * whole months.
 */
export function aggregatedRunStats(tenantId: string | null, f: RunFilter, interval: RunStatsInterval, groupBy?: RunStatsGroup): ReadQuery<RunStatsRow> | undefined {
  if (interval === 'hour') return undefined;
  const given = (Object.keys(f) as (keyof RunFilter)[]).filter((k) => f[k] !== undefined);
  const filtered = (Object.keys(DIMENSIONS) as Dimension[]).filter((d) => f[DIMENSIONS[d]] !== undefined);
  if (given.some((k) => !TIME_AND_STATUS.includes(k) && !filtered.some((d) => DIMENSIONS[d] === k))) return undefined;
  if (filtered.length > 1) return undefined;
  const grouped = groupBy === undefined || groupBy === 'status' ? undefined : groupBy;
  if (filtered.length === 1 && grouped !== undefined && grouped !== filtered[0]) return undefined;
  const { start, endExclusive } = f;
  if ((start && !isMidnight(start)) || (endExclusive && !isMidnight(endExclusive))) return undefined;
  const dimension = (filtered[0] ?? grouped) as Dimension | undefined;

  const where = new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .eq('dimension', dimension ?? '')
    .eq('value', dimension === undefined ? undefined : f[DIMENSIONS[dimension]])
    .add(f.statuses !== undefined, (b) => `status = ANY(${b(f.statuses)}::text[])`);
  const range = (b: (v: unknown) => string, grain: 'day' | 'month', from?: Date, to?: Date) =>
    [`grain = ${b(grain)}`, ...(from ? [`bucket >= ${b(from)}`] : []), ...(to ? [`bucket < ${b(to)}`] : [])].join(' AND ');
  // Whole months from the month rows, the days around them from the day rows.
  const innerFrom = start && nextMonthStart(start);
  const innerTo = endExclusive && monthStart(endExclusive);
  const useMonths = interval === 'month' && (!innerFrom || !innerTo || innerFrom < innerTo);
  where.add(true, (b) => {
    if (!useMonths) return `(${range(b, 'day', start, endExclusive)})`;
    const parts = [range(b, 'month', innerFrom, innerTo)];
    if (start && innerFrom && start < innerFrom) parts.push(range(b, 'day', start, innerFrom));
    if (endExclusive && innerTo && innerTo < endExclusive) parts.push(range(b, 'day', innerTo, endExclusive));
    return `(${parts.map((p) => `(${p})`).join(' OR ')})`;
  });
  const unit = where.bind(interval);
  const group = groupBy === undefined ? undefined : groupBy === 'status' ? 'status' : 'value';
  const bucket = `date_trunc(${unit}, bucket, 'UTC')`;
  const keys = `${bucket} AS b, ${group ? `${group} AS grp,` : ''}`;
  const runsPerStatus = (runs: (status: RunStatus) => string) => RUN_STATUSES.map((status) => `${runs(status)} AS ${status}`).join(', ');
  const noRuns = runsPerStatus(() => '0');
  // Without a status filter or a status group, a bucket's durations are those of every
  // status: one row of action_run_durations per bucket and value instead of one per status
  // (a year by block: 480 histograms instead of 1,824), and the runs per status come from
  // the stats rows, summed per bucket and group in the statement (480 rows instead of
  // 1,824). Histograms travel as base64 (a third less than bytea's hex).
  const allStatuses = f.statuses === undefined && groupBy !== 'status';
  const stats = allStatuses
    ? `SELECT ${keys} ${runsPerStatus((status) => `sum(runs) FILTER (WHERE status = '${status}')`)}, 0 AS finished, 0 AS duration_sum, NULL AS hist
         FROM action_run_stats ${where} GROUP BY 1${group ? ', 2' : ''}
       UNION ALL
       SELECT ${keys} ${noRuns}, finished, duration_sum, encode(array_send(histogram), 'base64') AS hist FROM action_run_durations ${where}`
    : `SELECT ${keys} ${runsPerStatus((status) => `CASE WHEN status = '${status}' THEN runs ELSE 0 END`)}, finished, duration_sum,
         encode(array_send(histogram), 'base64') AS hist FROM action_run_stats ${where}`;
  return {
    text: `SELECT to_char(b AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS b, ${group ? 'grp, ' : ''}${RUN_STATUSES.join(', ')}, finished, duration_sum, hist
       FROM (${stats}) s ORDER BY s.b${group ? ', s.grp' : ''}`,
    values: where.params,
    decode: (r) => ({
      bucket: r.b as string,
      group: group ? ((r.grp as string | null) ?? null) : undefined,
      runs: { running: Number(r.running ?? 0), successful: Number(r.successful ?? 0), failed: Number(r.failed ?? 0), aborted: Number(r.aborted ?? 0) },
      finished: Number(r.finished),
      durationSum: Number(r.duration_sum),
      histogram: r.hist === null ? null : Buffer.from(r.hist as string, 'base64'),
    }),
  };
}

interface Acc {
  bucket: RunStatsBucket;
  finished: number;
  durationSum: number;
  histogram: DurationHistogram;
}

/**
 * Folds the stats rows into the answer: counts and averages exact (the average rounded
 * as the runs' own numeric avg is), percentiles from the merged histograms. The rows come
 * ordered by bucket and group (`aggregatedRunStats`), so a bucket's rows are adjacent.
 */
export function foldRunStats(rows: RunStatsRow[]): { buckets: RunStatsBucket[]; runs: number } {
  const accs: Acc[] = [];
  let a: Acc | undefined;
  let runs = 0;
  for (const r of rows) {
    if (a === undefined || a.bucket.bucketStart !== r.bucket || a.bucket.group !== r.group) {
      a = {
        bucket: {
          bucketStart: r.bucket,
          ...(r.group === undefined ? {} : { group: r.group }),
          total: 0, successful: 0, failed: 0, aborted: 0, running: 0,
          avgDurationMs: null, p50DurationMs: null, p95DurationMs: null,
        },
        finished: 0,
        durationSum: 0,
        histogram: new DurationHistogram(),
      };
      accs.push(a);
    }
    const { running, successful, failed, aborted } = r.runs;
    a.bucket.running += running;
    a.bucket.successful += successful;
    a.bucket.failed += failed;
    a.bucket.aborted += aborted;
    const total = running + successful + failed + aborted;
    a.bucket.total += total;
    runs += total;
    a.finished += r.finished;
    a.durationSum += r.durationSum;
    a.histogram.addBytes(r.histogram);
  }
  const buckets: RunStatsBucket[] = [];
  for (const acc of accs) {
    if (acc.bucket.total === 0) continue;
    if (acc.finished > 0) {
      acc.bucket.avgDurationMs = Math.round(acc.durationSum / acc.finished);
      const [p50, p95] = acc.histogram.percentiles([0.5, 0.95]);
      acc.bucket.p50DurationMs = roundedOrNull(p50);
      acc.bucket.p95DurationMs = roundedOrNull(p95);
    }
    buckets.push(acc.bucket);
  }
  return { buckets, runs };
}

const roundedOrNull = (v: number | null) => (v === null ? null : Math.round(v));

/** Filters `action_run_deployments` answers: the ones `GET /v1/deployments` takes. */
const DEPLOYMENT_FILTERS: (keyof RunFilter)[] = ['workspace', 'block', 'blockFrom', 'blockVersion', 'statuses'];

/**
 * `deploymentPage` from `action_run_deployments` (one row per workspace × block ×
 * version × status × reference): the same rows, order and keyset, or undefined for a
 * filter the table is not split by.
 */
export function aggregatedDeploymentPage(tenantId: string | null, f: RunFilter, page: PageWindow): ReadQuery<Deployment> | undefined {
  const given = (Object.keys(f) as (keyof RunFilter)[]).filter((k) => f[k] !== undefined);
  if (given.some((k) => !DEPLOYMENT_FILTERS.includes(k))) return undefined;
  const { after } = page;
  const where = new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .eq('workspace_name', f.workspace)
    .eq('block_name', f.block)
    .add(f.blockFrom !== undefined, (b) => {
      const v = b(f.blockFrom);
      return `(block_from = ${v} OR block_from_base = ${v})`;
    })
    .eq('block_version', f.blockVersion)
    .add(f.statuses !== undefined, (b) => `status = ANY(${b(f.statuses)}::text[])`);
  const outer = after === undefined ? '' : `WHERE (d.sort_at, d.last_run_id) < (${where.bind(after.t)}::timestamptz, ${where.bind(after.i)}::uuid)`;
  return {
    // One sort serves both the latest row of each workspace × block × version (DISTINCT ON)
    // and the window sums and maxima over its rows; per-group array_agg(… ORDER BY …) cost more.
    text: `SELECT * FROM (
         SELECT DISTINCT ON (workspace_name, block_name, block_version)
           workspace_name AS workspace, block_name AS block, block_version AS version, block_from AS "from", last_run_id,
           sum(runs) OVER w AS runs,
           max(last_started_at) OVER w AS last_started_at,
           max(last_finished_at) OVER w AS last_finished_at,
           coalesce(max(last_finished_at) OVER w, max(last_started_at) OVER w) AS sort_at
         FROM action_run_deployments ${where}
         WINDOW w AS (PARTITION BY workspace_name, block_name, block_version)
         ORDER BY workspace_name, block_name, block_version, last_sort_at DESC, last_run_id DESC
       ) d ${outer}
       ORDER BY d.sort_at DESC, d.last_run_id DESC
       LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: decodeDeployment,
  };
}
