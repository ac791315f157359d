/**
 * The SQL behind the measured run queries, for `EXPLAIN (ANALYZE, BUFFERS)` straight in
 * Postgres beside the HTTP timings of runs-query-bench.ts. Copied from the query
 * service's repository (apps/query/src/action-runs/action-run.repository.ts, commit
 * 2ea0106) with the parameters it binds for the measured requests: tools may not import
 * apps, so keep these in step with it.
 */

export interface ExplainTarget {
  label: string;
  sql: string;
  params: unknown[];
}

/**
 * `GET /v1/action-runs/stats?start=…&end=…` (interval day, no group_by): ActionRunRepository.stats
 * with the filter tenant + start + end, as the service binds it (the unit is a parameter).
 */
export function statsSql(tenantId: string, start: string, endExclusive: string, interval = 'day'): ExplainTarget {
  const finished = `status <> 'running' AND duration_ms IS NOT NULL`;
  return {
    label: `stats, ${start}..${endExclusive} (exclusive), interval ${interval}`,
    sql: `SELECT date_trunc($4, started_at, 'UTC') AS bucket,
         count(*) AS total,
         count(*) FILTER (WHERE status = 'successful') AS successful,
         count(*) FILTER (WHERE status = 'failed') AS failed,
         count(*) FILTER (WHERE status = 'aborted') AS aborted,
         count(*) FILTER (WHERE status = 'running') AS running,
         avg(duration_ms) FILTER (WHERE ${finished}) AS avg,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p50,
         percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE ${finished}) AS p95
       FROM action_runs WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3
       GROUP BY 1
       ORDER BY 1`,
    params: [tenantId, new Date(`${start}T00:00:00Z`), new Date(`${endExclusive}T00:00:00Z`), interval],
  };
}

/**
 * `GET /v1/deployments?block=…` (status successful by default, first page of 40):
 * DeploymentRepository.fetch, which reads one row more than the page to know whether
 * another page exists.
 */
export function deploymentsSql(tenantId: string, block: string, limit = 40): ExplainTarget {
  return {
    label: `deployments, block ${block}, status successful, first page`,
    sql: `SELECT * FROM (
         SELECT workspace_name AS workspace, block_name AS block, block_version AS version,
           (array_agg(block_from ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS "from",
           (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS last_run_id,
           count(*) AS runs,
           max(started_at) AS last_started_at,
           max(finished_at) AS last_finished_at,
           coalesce(max(finished_at), max(started_at)) AS sort_at
         FROM action_runs WHERE tenant_id = $1 AND block_name = $2 AND status = ANY($3::text[])
         GROUP BY workspace_name, block_name, block_version
       ) d
       ORDER BY d.sort_at DESC, d.last_run_id DESC
       LIMIT $4 OFFSET $5`,
    params: [tenantId, block, ['successful'], limit + 1, 0],
  };
}
