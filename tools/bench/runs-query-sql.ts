/**
 * The SQL behind the measured run queries, for `EXPLAIN (ANALYZE, BUFFERS)` straight in
 * Postgres beside the HTTP timings of runs-query-bench.ts. Keep it in step with the
 * query service's repository (apps/query/src/action-runs/): tools may not import apps,
 * so the statements are copied here.
 */

export interface ExplainTarget {
  label: string;
  sql: string;
  params: unknown[];
}

/** `GET /v1/action-runs/stats?start=…&end=…` (interval day, no group_by): one row per UTC day. */
export function statsSql(tenantId: string, start: string, endExclusive: string): ExplainTarget {
  return {
    label: 'stats, one month, interval day',
    sql: `
      SELECT date_trunc('day', started_at, 'UTC') AS bucket_start,
        count(*) AS total,
        count(*) FILTER (WHERE status = 'successful') AS successful,
        count(*) FILTER (WHERE status = 'failed') AS failed,
        count(*) FILTER (WHERE status = 'aborted') AS aborted,
        count(*) FILTER (WHERE status = 'running') AS running,
        avg(duration_ms) FILTER (WHERE finished_at IS NOT NULL) AS avg_duration_ms,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE finished_at IS NOT NULL) AS p50_duration_ms,
        percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) FILTER (WHERE finished_at IS NOT NULL) AS p95_duration_ms
      FROM action_runs
      WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3
      GROUP BY 1
      ORDER BY 1`,
    params: [tenantId, start, endExclusive],
  };
}

/** `GET /v1/deployments?block=…` (status successful by default): one row per workspace × block × version. */
export function deploymentsSql(tenantId: string, block: string, limit = 40): ExplainTarget {
  return {
    label: 'deployments, one block',
    sql: `
      SELECT workspace_name, block_name, block_from, block_version,
        count(*) AS runs,
        (array_agg(id ORDER BY started_at DESC, id DESC))[1] AS last_run_id,
        max(started_at) AS last_started_at,
        max(finished_at) AS last_finished_at
      FROM action_runs
      WHERE tenant_id = $1 AND block_name = $2 AND status = ANY($3)
      GROUP BY workspace_name, block_name, block_from, block_version
      ORDER BY last_finished_at DESC NULLS LAST, workspace_name, block_name, block_version
      LIMIT $4`,
    params: [tenantId, block, ['successful'], limit],
  };
}
