import { withoutTag, type ActionRunRecord, type RunStatus } from '@runtrail/contracts';
import type { KeysetPosition, PageWindow, ReadQuery } from '../sql/read-query';
import { SqlWhere } from '../sql/sql-where';
import { actionRunsTable, toActionRunRecord } from '../tables/action-runs.table';

/** The run filters in domain terms; `endExclusive` is already exclusive. */
export interface RunFilter {
  workspace?: string;
  organization?: string;
  block?: string;
  blockFrom?: string;
  blockVersion?: string;
  action?: string;
  statuses?: RunStatus[];
  exitCode?: number;
  hostname?: string;
  osUser?: string;
  cliVersion?: string;
  sourceName?: string;
  retriggeredFrom?: string;
  correlationId?: string;
  start?: Date;
  endExclusive?: Date;
}

export const RUN_STATS_INTERVALS = ['hour', 'day', 'week', 'month'] as const;
export type RunStatsInterval = (typeof RUN_STATS_INTERVALS)[number];
export const RUN_STATS_GROUPS = ['status', 'workspace', 'block', 'action', 'block_version'] as const;
export type RunStatsGroup = (typeof RUN_STATS_GROUPS)[number];

export interface RunStatsBucket {
  bucketStart: string;
  group?: string | null;
  total: number;
  successful: number;
  failed: number;
  aborted: number;
  running: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
}

/** "What version is deployed where": one workspace x block x version. */
export interface Deployment {
  workspace: string;
  block: string;
  from: string | null;
  version: string | null;
  runs: number;
  lastRunId: string;
  lastStartedAt: string;
  lastFinishedAt: string | null;
}

const t = actionRunsTable;

/** The column of each `group_by`, chosen from this fixed map only (never from input). */
const GROUP_COLUMN: Record<RunStatsGroup, string> = {
  status: t.column('status'),
  workspace: t.column('workspaceName'),
  block: t.column('blockName'),
  action: t.column('action'),
  block_version: t.column('blockVersion'),
};

/** The tenant condition (none for the root key) and every filter, bound. */
function runWhere(tenantId: string | null, f: RunFilter): SqlWhere {
  return new SqlWhere()
    .eq('tenant_id', tenantId ?? undefined)
    .eq('workspace_name', f.workspace)
    .eq('workspace_organization', f.organization)
    .eq('block_name', f.block)
    .add(f.blockFrom !== undefined, (b) => {
      const from = f.blockFrom ?? '';
      const v = b(from);
      // A row matching by its from has the base withoutTag(value), one matching by its base
      // has the value as base: the added condition changes no answer, and where the two are
      // one (a value without tag, or any usual one) the (tenant, base, time) index serves it.
      const base = withoutTag(from) === from ? v : `${v}, ${b(withoutTag(from))}`;
      return `(block_from = ${v} OR block_from_base = ${v}) AND block_from_base IN (${base})`;
    })
    .eq('block_version', f.blockVersion)
    .eq('action', f.action)
    .add(f.statuses !== undefined, (b) => `status = ANY(${b(f.statuses)}::text[])`)
    .eq('exit_code', f.exitCode)
    .eq('hostname', f.hostname)
    .eq('os_user', f.osUser)
    .eq('cli_version', f.cliVersion)
    .eq('source_name', f.sourceName)
    .add(f.retriggeredFrom !== undefined, (b) => `retriggered_from = ${b(f.retriggeredFrom)}::uuid`)
    .eq('correlation_id', f.correlationId)
    .add(f.start !== undefined, (b) => `started_at >= ${b(f.start)}`)
    .add(f.endExclusive !== undefined, (b) => `started_at < ${b(f.endExclusive)}`);
}

const iso = (d: unknown) => (d as Date).toISOString();
const isoOrNull = (d: unknown) => (d === null || d === undefined ? null : iso(d));
const rounded = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/** `runWhere` and, when given, the keyset position to continue after (newest first). */
export function runKeysetWhere(tenantId: string | null, f: RunFilter, after?: KeysetPosition): SqlWhere {
  return runWhere(tenantId, f).add(after !== undefined, (b) => `(started_at, id) < (${b(after?.t)}::timestamptz, ${b(after?.i)}::uuid)`);
}

/** A page of runs, newest first by (started_at, id), on the tenant-leading indexes. */
export function actionRunPage(tenantId: string | null, f: RunFilter, page: PageWindow): ReadQuery<ActionRunRecord> {
  const where = runKeysetWhere(tenantId, f, page.after);
  return {
    text: `SELECT ${t.select()} FROM ${t.name} ${where}
      ORDER BY started_at DESC, id DESC LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: (raw) => toActionRunRecord(t.decode(raw)),
  };
}

export function actionRunById(tenantId: string | null, id: string): ReadQuery<ActionRunRecord> {
  const where = new SqlWhere().eq('tenant_id', tenantId ?? undefined).add(true, (b) => `id = ${b(id)}::uuid`);
  return { text: `SELECT ${t.select()} FROM ${t.name} ${where}`, values: where.params, decode: (raw) => toActionRunRecord(t.decode(raw)) };
}

/**
 * Counts per status and duration figures per UTC bucket (weeks start on Monday, as
 * date_trunc does), only non-empty buckets, oldest first. Durations are those of
 * finished runs. The unit is a bound parameter; the group column comes from a fixed map.
 */
export function actionRunStats(tenantId: string | null, f: RunFilter, interval: RunStatsInterval, groupBy?: RunStatsGroup): ReadQuery<RunStatsBucket> {
  const where = runWhere(tenantId, f);
  const unit = where.bind(interval);
  const group = groupBy === undefined ? undefined : GROUP_COLUMN[groupBy];
  const finished = `status <> 'running' AND duration_ms IS NOT NULL`;
  return {
    text: `SELECT date_trunc(${unit}, started_at, 'UTC') AS bucket,
         ${group ? `${group} AS grp,` : ''}
         count(*) AS total,
         count(*) FILTER (WHERE status = 'successful') AS successful,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         count(*) FILTER (WHERE status = 'aborted') AS aborted,
         count(*) FILTER (WHERE status = 'running') AS running,
         avg(duration_ms) FILTER (WHERE ${finished}) AS avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p95
       FROM ${t.name} ${where}
       GROUP BY 1${group ? ', 2' : ''}
       ORDER BY 1${group ? ', 2' : ''}`,
    values: where.params,
    decode: (r) => ({
      bucketStart: iso(r.bucket),
      ...(group ? { group: (r.grp as string | null | undefined) ?? null } : {}),
      total: Number(r.total),
      successful: Number(r.successful),
      failed: Number(r.failed),
      aborted: Number(r.aborted),
      running: Number(r.running),
      avgDurationMs: rounded(r.avg),
      p50DurationMs: rounded(r.p50),
      p95DurationMs: rounded(r.p95),
    }),
  };
}

/**
 * One row per workspace x block x version over the matching runs, most recent first (by
 * last finish, then last start, then the last run's id), paged by keyset on that order.
 * `GET /v1/deployments?block=…` is served from the covering index alone.
 */
export function deploymentPage(tenantId: string | null, f: RunFilter, page: PageWindow): ReadQuery<Deployment> {
  const { after } = page;
  const where = runWhere(tenantId, f);
  const outer = after === undefined ? '' : `WHERE (d.sort_at, d.last_run_id) < (${where.bind(after.t)}::timestamptz, ${where.bind(after.i)}::uuid)`;
  return {
    text: `SELECT * FROM (
         SELECT workspace_name AS workspace, block_name AS block, block_version AS version,
           (array_agg(block_from ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS "from",
           (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS last_run_id,
           count(*) AS runs,
           max(started_at) AS last_started_at,
           max(finished_at) AS last_finished_at,
           coalesce(max(finished_at), max(started_at)) AS sort_at
         FROM ${t.name} ${where}
         GROUP BY workspace_name, block_name, block_version
       ) d ${outer}
       ORDER BY d.sort_at DESC, d.last_run_id DESC
       LIMIT ${where.bind(page.limit)} OFFSET ${where.bind(page.offset)}`,
    values: where.params,
    decode: decodeDeployment,
  };
}

/** A deployment row as both deployment reads select it (from the runs or from their aggregate). */
export function decodeDeployment(r: Record<string, unknown>): Deployment {
  return {
    workspace: r.workspace as string,
    block: r.block as string,
    from: r.from as string | null,
    version: r.version as string | null,
    runs: Number(r.runs),
    lastRunId: r.last_run_id as string,
    lastStartedAt: iso(r.last_started_at),
    lastFinishedAt: isoOrNull(r.last_finished_at),
  };
}
