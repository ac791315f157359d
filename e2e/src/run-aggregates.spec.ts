import { request, startTestStack, type TestStack } from '@runtrail/testing';

interface Bucket {
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

interface DeploymentRow {
  workspace: string;
  block: string;
  from: string | null;
  version: string | null;
  runs: number;
  lastRunId: string;
  lastStartedAt: string;
  lastFinishedAt: string | null;
}

/** More than are read exactly in every aggregate-backed request below. */
const RUNS = 60_000;
/** Every seeded run has it, so adding it as a filter changes no answer, only how it is read (from the runs). */
const SAME_SET = 'cli_version=1.0.0';

/**
 * Issue 15 at the API: stats and deployments over a tenant with more runs than are read
 * exactly (docs/adr/0024), seeded by plain SQL so the triggers on action_runs keep the
 * aggregates. Each aggregate-backed answer is compared with the one the service reads from
 * the runs (the same request plus a filter every run matches, which the aggregates decline).
 */
describe('stats and deployments from the run aggregates', () => {
  let t: TestStack;
  let key: string;
  const get = <T>(path: string) => request<T>('GET', `${t.queryUrl}${path}`, { key });

  beforeAll(async () => {
    t = await startTestStack('e2eaggr');
    key = await t.createKey('bulk', ['audit:read']);
    // 60,000 runs, one every 6 minutes from 2026-01-01 (into September), 3 workspaces,
    // 4 blocks of 2 versions, 2% still running, 8% failed.
    await t.query(`
      INSERT INTO action_runs (tenant_id, id, workspace_name, block_name, block_version, block_from, block_from_base, action, status,
        started_at, finished_at, duration_ms, cli_version, source_type, source_name, received_at, updated_at, first_position)
      SELECT 'bulk', gen_random_uuid(), 'ws-' || (i % 3), 'block-' || (i % 4), '1.' || (i / 7 % 2), 'reg/block-' || (i % 4) || ':1.' || (i / 7 % 2),
        'reg/block-' || (i % 4), CASE WHEN i % 5 = 0 THEN 'backup' ELSE 'deploy' END, s,
        start, CASE WHEN s = 'running' THEN NULL ELSE start + d * interval '1 millisecond' END, CASE WHEN s = 'running' THEN NULL ELSE d END,
        '1.0.0', 'Application', 'seed', now(), now(), 0
      FROM generate_series(1, ${RUNS}) i,
        LATERAL (SELECT CASE WHEN i % 50 = 0 THEN 'running' WHEN i % 12 = 0 THEN 'failed' ELSE 'successful' END AS s,
          timestamptz '2026-01-01T00:00:00Z' + i * interval '6 minutes' AS start,
          (1000 + (i::bigint * 7919) % 600000 + (i % 7) * 90000) AS d) x`);
    // Three services and 60,000 rows through the aggregate triggers: longer than the
    // default 30 s on a busy 2-core machine.
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  /** Counts and averages equal; percentiles within 2% (plus both roundings). */
  function expectClose(aggregated: Bucket[], exact: Bucket[]): void {
    const counts = (b: Bucket) => ({ ...b, p50DurationMs: undefined, p95DurationMs: undefined });
    expect(aggregated.map(counts)).toEqual(exact.map(counts));
    aggregated.forEach((b, i) => {
      for (const p of ['p50DurationMs', 'p95DurationMs'] as const) {
        expect(Math.abs((b[p] as number) - (exact[i][p] as number))).toBeLessThanOrEqual(0.02 * (exact[i][p] as number) + 1);
      }
    });
  }

  it('keeps the aggregates in the statement that wrote the runs', async () => {
    const [row] = await t.query<{ runs: string }>(`SELECT sum(runs) AS runs FROM action_run_stats WHERE tenant_id = 'bulk' AND grain = 'month' AND dimension = ''`);
    expect(Number(row?.runs)).toBe(RUNS);
  });

  it.each([
    'interval=month',
    'interval=month&group_by=status',
    'interval=month&group_by=block_version',
    'interval=week&status=successful,failed&start=2026-03-01&end=2026-08-31',
    'interval=day&start=2026-04-01&end=2026-06-30&group_by=workspace',
    'interval=month&start=2026-02-14&end=2026-08-20&workspace=ws-1&group_by=workspace',
    'interval=month&block=block-3',
  ])('answers stats?%s as the runs do: counts and averages exactly, percentiles within 2%%', async (query) => {
    const aggregated = await get<Bucket[]>(`/v1/action-runs/stats?${query}`);
    const exact = await get<Bucket[]>(`/v1/action-runs/stats?${query}&${SAME_SET}`);
    expect(aggregated.status).toBe(200);
    expect(exact.status).toBe(200);
    expect(exact.body.length).toBeGreaterThan(0);
    expectClose(aggregated.body, exact.body);
  });

  it('answers exactly when the aggregates count 10,000 runs or fewer', async () => {
    // 1,860 runs of one block in March: read from the runs, exact percentiles included.
    const march = 'interval=week&block=block-1&start=2026-03-01&end=2026-03-31';
    const exact = await get<Bucket[]>(`/v1/action-runs/stats?${march}&${SAME_SET}`);
    expect((await get<Bucket[]>(`/v1/action-runs/stats?${march}`)).body).toEqual(exact.body);
    expect(exact.body.reduce((s, b) => s + b.total, 0)).toBe(1860);
  });

  it('answers deployments as the runs give them, keyset-paged', async () => {
    const want = await t.query<{ row: DeploymentRow }>(`
      SELECT json_build_object('workspace', workspace_name, 'block', block_name, 'from', (array_agg(block_from ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1],
        'version', block_version, 'runs', count(*), 'lastRunId', (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1],
        'lastStartedAt', to_char(max(started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'lastFinishedAt', to_char(max(finished_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) AS row
      FROM action_runs WHERE tenant_id = 'bulk' AND block_name = 'block-2' AND status IN ('successful', 'failed')
      GROUP BY workspace_name, block_name, block_version
      ORDER BY coalesce(max(finished_at), max(started_at)) DESC, (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] DESC`);
    expect(want.length).toBe(6);
    const pages: DeploymentRow[] = [];
    let path: string | undefined = '/v1/deployments?block=block-2&status=successful,failed&limit=4';
    while (path) {
      const res: Awaited<ReturnType<typeof get<DeploymentRow[]>>> = await get<DeploymentRow[]>(path);
      expect(res.status).toBe(200);
      pages.push(...res.body);
      path = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(pages).toEqual(want.map((w) => w.row));
  });
});
