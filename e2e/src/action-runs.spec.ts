import { randomUUID } from 'node:crypto';
import { eventually, request, startTestStack, type HttpAnswer, type TestStack } from '@runtrail/testing';

interface Run {
  id: string;
  status: string;
  workspace: { name: string; organization: string | null };
  block: { name: string; from: string | null; version: string | null };
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  exitCode: number | null;
  [k: string]: unknown;
}

const NGINX = 'cargo.ayedo.cloud/ayedo/infra/nginx';

/** A report; `end` (minutes after start) makes it finished. */
function report(id: string, o: { ws?: string; block?: string; from?: string | null; action?: string; status?: string; start: string; end?: number; exitCode?: number; host?: string; user?: string; cli?: string; org?: string; retriggeredFrom?: string }) {
  const finished = o.status !== undefined && o.status !== 'running';
  const startedAt = new Date(o.start);
  return {
    id,
    workspace: { name: o.ws ?? 'acme-prod', ...(o.org ? { organization: o.org } : {}) },
    block: { name: o.block ?? 'nginx', ...(o.from === null ? {} : { from: o.from ?? `${NGINX}:0.3.1` }) },
    action: o.action ?? 'deploy',
    status: o.status ?? 'running',
    startedAt: startedAt.toISOString(),
    ...(finished ? { finishedAt: new Date(startedAt.getTime() + (o.end ?? 1) * 60_000).toISOString() } : {}),
    ...(o.exitCode !== undefined ? { exitCode: o.exitCode } : o.status === 'successful' ? { exitCode: 0 } : o.status === 'failed' ? { exitCode: 1 } : {}),
    ...(o.host ? { hostname: o.host } : {}),
    ...(o.user ? { osUser: o.user } : {}),
    ...(o.cli ? { cliVersion: o.cli } : {}),
    ...(o.retriggeredFrom ? { retriggeredFrom: o.retriggeredFrom } : {}),
  };
}

describe('action runs contract', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;
  const ids = {
    restart: randomUUID(), // db-maintenance restart, Friday evening, still running then failed
    deployOld: randomUUID(),
    deployNew: randomUUID(),
    staging: randomUUID(),
    aborted: randomUUID(),
    endOnly: randomUUID(),
    retrigger: randomUUID(),
  };

  const post = (body: unknown, key = acme) => request<{ accepted: number; ids: string[] }>('POST', `${t.ingestUrl}/v1/action-runs`, { key, body });
  const get = <T = Run[]>(path: string, key = acme) => request<T>('GET', `${t.queryUrl}${path}`, { key });
  const run = async (id: string) => (await get<Run>(`/v1/action-runs/${id}`)).body;

  beforeAll(async () => {
    t = await startTestStack('e2eruns');
    acme = await t.createKey('acme', ['events:write', 'audit:read'], 'gitlab-ci');
    globex = await t.createKey('globex', ['events:write', 'audit:read']);
    // Start reports first, as a CLI sends them.
    expect(
      (await post([
        report(ids.restart, { block: 'db-maintenance', from: 'db-maintenance', action: 'restart', start: '2026-11-20T21:17:00Z', host: 'laptop-max', user: 'max', cli: '0.18.3', org: 'acme' }),
        report(ids.deployOld, { start: '2026-10-05T10:00:00Z', from: `${NGINX}:0.3.0`, host: 'gitlab-runner-42', user: 'gitlab-runner' }),
        report(ids.deployNew, { start: '2026-11-02T10:00:00Z', host: 'gitlab-runner-42', user: 'gitlab-runner' }),
        report(ids.staging, { ws: 'acme-staging', start: '2026-11-01T09:00:00Z' }),
        report(ids.aborted, { start: '2026-11-03T08:00:00Z', action: 'patch' }),
      ])).status,
    ).toBe(202);
    // Then the ends; the end-only run never sent a start.
    expect(
      (await post([
        report(ids.restart, { block: 'db-maintenance', from: 'db-maintenance', action: 'restart', status: 'failed', start: '2026-11-20T21:17:00Z', end: 3, exitCode: 2 }),
        report(ids.deployOld, { status: 'successful', start: '2026-10-05T10:00:00Z', from: `${NGINX}:0.3.0`, end: 4 }),
        report(ids.deployNew, { status: 'successful', start: '2026-11-02T10:00:00Z', end: 2 }),
        report(ids.staging, { ws: 'acme-staging', status: 'successful', start: '2026-11-01T09:00:00Z', end: 6 }),
        report(ids.aborted, { status: 'aborted', start: '2026-11-03T08:00:00Z', action: 'patch', exitCode: 130, end: 1 }),
        report(ids.endOnly, { status: 'successful', start: '2026-11-04T12:00:00Z', end: 10, block: 'postgres', from: null }),
        report(ids.retrigger, { status: 'successful', start: '2026-11-21T07:00:00Z', block: 'db-maintenance', from: 'db-maintenance', action: 'restart', retriggeredFrom: ids.restart }),
      ])).status,
    ).toBe(202);
    // Late and conflicting reports: a running after the failure, a success after the failure.
    expect(
      (await post([
        report(ids.restart, { block: 'db-maintenance', from: 'db-maintenance', action: 'restart', start: '2026-11-20T21:17:00Z' }),
        report(ids.restart, { block: 'db-maintenance', from: 'db-maintenance', action: 'restart', status: 'successful', start: '2026-11-20T21:17:00Z' }),
      ])).status,
    ).toBe(202);
    expect((await post(report(randomUUID(), { status: 'failed', start: '2026-11-10T00:00:00Z', ws: 'globex-prod' }), globex)).status).toBe(202);
    await eventually(async () => ((await get('/v1/action-runs?limit=1000')).body.length === 7 ? true : undefined), 30_000);
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  describe('POST /v1/action-runs', () => {
    it('answers 202 with the ids', async () => {
      const id = randomUUID();
      // in the other tenant, so the data set the queries below read stays as it is
      const res = await post(report(id, { ws: 'scratch', start: '2026-01-01T00:00:00Z', status: 'successful' }), globex);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ accepted: 1, ids: [id] });
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a block name that could reach a shell', { block: { name: 'nginx;rm -rf /' } }, /^\[1\]\.block\.name must match/],
      ['a successful run with exit code 1', { status: 'successful', exitCode: 1, finishedAt: '2026-11-20T21:18:00Z' }, /^\[1\]\.exitCode must be 0/],
      ['a finished run without finishedAt', { status: 'failed', exitCode: 1 }, /^\[1\]\.finishedAt must be/],
      ['an end before the start', { status: 'failed', exitCode: 1, finishedAt: '2026-11-20T21:16:00Z' }, /^\[1\]\.finishedAt must not be before startedAt/],
      ['a client-chosen id that is not a UUID', { id: '42' }, /^\[1\]\.id must be a UUID/],
      ['an unknown field (command output is never sent)', { output: 'secret' }, /^\[1\]\.output is not a known field/],
    ])('refuses the whole batch for %s, naming index and field', async (_name, override, pattern) => {
      const good = report(randomUUID(), { start: '2026-11-20T21:17:00Z' });
      const res = await post([good, { ...report(randomUUID(), { start: '2026-11-20T21:17:00Z' }), ...override }]);
      expect(res.status).toBe(400);
      expect((res.body as unknown as { message: string[] }).message.some((m) => pattern.test(m))).toBe(true);
    });

    it('needs events:write', async () => {
      const reader = await t.createKey('acme', ['audit:read']);
      expect((await post(report(randomUUID(), { start: '2026-11-20T21:17:00Z' }), reader)).status).toBe(403);
    });
  });

  describe('merging the reports of a run', () => {
    it('turns start and end into one record with derived duration and version', async () => {
      expect(await run(ids.deployNew)).toMatchObject({
        status: 'successful',
        exitCode: 0,
        durationMs: 120_000,
        block: { name: 'nginx', from: `${NGINX}:0.3.1`, version: '0.3.1' },
        hostname: 'gitlab-runner-42', // from the start report, kept by the end report
        osUser: 'gitlab-runner',
        finishedAt: '2026-11-02T10:02:00.000Z',
      });
    });

    it('keeps the first terminal status: a late running and a later success change nothing', async () => {
      expect(await run(ids.restart)).toMatchObject({ status: 'failed', exitCode: 2, durationMs: 180_000, hostname: 'laptop-max' });
    });

    it('records a run reported only at its end', async () => {
      expect(await run(ids.endOnly)).toMatchObject({ status: 'successful', block: { name: 'postgres', from: null, version: null } });
    });

    it('answers the full record shape, with the submitting key as source and an empty retriggers list', async () => {
      const r = await get<Record<string, unknown>>(`/v1/action-runs/${ids.restart}`);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body).sort()).toEqual(
        ['id', 'tenantId', 'workspace', 'block', 'action', 'status', 'startedAt', 'finishedAt', 'durationMs', 'exitCode',
          'cliVersion', 'hostname', 'osUser', 'sourceType', 'sourceId', 'sourceName', 'retriggeredFrom', 'commandId',
          'receivedAt', 'updatedAt', 'correlationId', 'retriggers'].sort(),
      );
      expect(r.body).toMatchObject({ tenantId: 'acme', sourceType: 'Application', sourceName: 'gitlab-ci', retriggers: [], workspace: { organization: 'acme' } });
    });

    it("answers 404 for an unknown run and for another tenant's run alike, and 400 for a malformed id", async () => {
      const foreign = (await get(`/v1/action-runs?limit=1`, globex)).body[0].id;
      const a = await get<{ message: string }>(`/v1/action-runs/${foreign}`);
      const b = await get<{ message: string }>(`/v1/action-runs/${randomUUID()}`);
      expect([a.status, b.status]).toEqual([404, 404]);
      expect(a.body.message.replace(foreign, 'X')).toBe(b.body.message.replace(/[0-9a-f-]{36}/, 'X'));
      expect((await get(`/v1/action-runs/not-a-uuid`)).status).toBe(400);
    });
  });

  describe('GET /v1/action-runs', () => {
    const idsOf = async (query: string) => (await get(`/v1/action-runs?${query}&limit=1000`)).body.map((r) => r.id);

    it('answers newest first by startedAt, only the tenant’s runs', async () => {
      const all = (await get('/v1/action-runs?limit=1000')).body;
      expect(all.map((r) => r.startedAt)).toEqual([...all.map((r) => r.startedAt)].sort().reverse());
      expect(all.every((r) => r.tenantId === 'acme')).toBe(true);
    });

    it.each<[string, (keyof typeof ids)[]]>([
      ['workspace=acme-staging', ['staging']],
      ['organization=acme', ['restart']],
      ['block=db-maintenance', ['retrigger', 'restart']],
      [`block_from=${NGINX}`, ['aborted', 'deployNew', 'staging', 'deployOld']],
      [`block_from=${NGINX}:0.3.0`, ['deployOld']],
      ['block_version=0.3.1', ['aborted', 'deployNew', 'staging']],
      ['action=restart', ['retrigger', 'restart']],
      ['status=failed,aborted', ['restart', 'aborted']],
      ['exit_code=130', ['aborted']],
      ['hostname=laptop-max', ['restart']],
      ['os_user=gitlab-runner', ['deployNew', 'deployOld']],
      ['cli_version=0.18.3', ['restart']],
      ['source_name=gitlab-ci&action=patch', ['aborted']],
      [`retriggered_from=${'X'}`, ['retrigger']],
      ['start=2026-11-20T21:00:00Z&end=2026-11-20', ['restart']],
      ['start=2026-11-1&end=2026-11-2', ['deployNew', 'staging']],
    ])('filters on %s', async (query, expected) => {
      const q = query.replace('X', ids.restart);
      expect(await idsOf(q)).toEqual(expected.map((k) => ids[k]));
    });

    it.each([
      ['status=done', /^status must be a comma-separated list/],
      ['exit_code=zero', /^exit_code must be an integer/],
      ['retriggered_from=abc', /^retriggered_from must be a UUID/],
      ['blocks=nginx', /^blocks is not a known query parameter/],
      ['workspace=a%20b', /^workspace must match/],
    ])('answers 400 for %s', async (query, pattern) => {
      const res = await get<{ message: string[] }>(`/v1/action-runs?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message.some((m) => pattern.test(m))).toBe(true);
    });

    it('pages by cursor and downloads the whole set, CSV with nested objects as JSON', async () => {
      const all = (await get('/v1/action-runs?limit=1000')).body;
      const seen: Run[] = [];
      let url: string | undefined = '/v1/action-runs?limit=2';
      while (url) {
        const res: HttpAnswer<Run[]> = await get<Run[]>(url);
        seen.push(...res.body);
        url = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
      }
      expect(seen).toEqual(all);
      const csv = await request('GET', `${t.queryUrl}/v1/action-runs?download=true&format=csv&workspace=acme-staging`, { key: acme });
      const [header, row] = csv.text.split('\r\n');
      expect(header).toBe('id,tenantId,workspace,block,action,status,startedAt,finishedAt,durationMs,exitCode,cliVersion,hostname,osUser,sourceType,sourceId,sourceName,retriggeredFrom,commandId,receivedAt,updatedAt,correlationId');
      expect(row).toContain(`${ids.staging},acme,"{""name"":""acme-staging"",""organization"":null}"`);
    });
  });

  describe('GET /v1/action-runs/stats', () => {
    it('counts per day in UTC, oldest first, only non-empty buckets, durations over finished runs', async () => {
      const res = await get<Record<string, unknown>[]>('/v1/action-runs/stats?block=nginx');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { bucketStart: '2026-10-05T00:00:00.000Z', total: 1, successful: 1, failed: 0, aborted: 0, running: 0, avgDurationMs: 240_000, p50DurationMs: 240_000, p95DurationMs: 240_000 },
        { bucketStart: '2026-11-01T00:00:00.000Z', total: 1, successful: 1, failed: 0, aborted: 0, running: 0, avgDurationMs: 360_000, p50DurationMs: 360_000, p95DurationMs: 360_000 },
        { bucketStart: '2026-11-02T00:00:00.000Z', total: 1, successful: 1, failed: 0, aborted: 0, running: 0, avgDurationMs: 120_000, p50DurationMs: 120_000, p95DurationMs: 120_000 },
        { bucketStart: '2026-11-03T00:00:00.000Z', total: 1, successful: 0, failed: 0, aborted: 1, running: 0, avgDurationMs: 60_000, p50DurationMs: 60_000, p95DurationMs: 60_000 },
      ]);
    });

    it('aligns weeks on Monday and months on the first, and groups on request', async () => {
      const weeks = (await get<{ bucketStart: string; total: number }[]>('/v1/action-runs/stats?interval=week&block=nginx')).body;
      expect(weeks.map((b) => [b.bucketStart, b.total])).toEqual([
        ['2026-10-05T00:00:00.000Z', 1], // a Monday
        ['2026-10-26T00:00:00.000Z', 1], // Sunday 1 November belongs to the week of Monday 26 October
        ['2026-11-02T00:00:00.000Z', 2],
      ]);
      const months = (await get<{ bucketStart: string; group: string; total: number; p95DurationMs: number | null }[]>(
        '/v1/action-runs/stats?interval=month&group_by=status&start=2026-11-1',
      )).body;
      expect(months.map((b) => [b.bucketStart, b.group, b.total])).toEqual([
        ['2026-11-01T00:00:00.000Z', 'aborted', 1],
        ['2026-11-01T00:00:00.000Z', 'failed', 1],
        ['2026-11-01T00:00:00.000Z', 'successful', 4],
      ]);
    });

    it('buckets by hour, and takes durations from finished runs only', async () => {
      const hours = (await get<{ bucketStart: string }[]>('/v1/action-runs/stats?interval=hour&block=db-maintenance')).body;
      expect(hours.map((b) => b.bucketStart)).toEqual(['2026-11-20T21:00:00.000Z', '2026-11-21T07:00:00.000Z']);

      // in the other tenant: one run still running, one finished after 5 minutes, the same day
      const running = report(randomUUID(), { ws: 'globex-prod', start: '2026-02-02T10:00:00Z' });
      const done = report(randomUUID(), { ws: 'globex-prod', status: 'successful', start: '2026-02-02T11:00:00Z', end: 5 });
      expect((await post([running, done], globex)).status).toBe(202);
      const day = await eventually(async () => {
        const b = (await get<Record<string, unknown>[]>('/v1/action-runs/stats?start=2026-2-2&end=2026-2-2', globex)).body;
        return b.length && b[0].total === 2 ? b : undefined;
      });
      expect(day).toEqual([
        { bucketStart: '2026-02-02T00:00:00.000Z', total: 2, successful: 1, failed: 0, aborted: 0, running: 1, avgDurationMs: 300_000, p50DurationMs: 300_000, p95DurationMs: 300_000 },
      ]);
    });

    it('refuses an unknown interval or grouping, and paging parameters', async () => {
      expect((await get('/v1/action-runs/stats?interval=year')).status).toBe(400);
      expect((await get('/v1/action-runs/stats?group_by=hostname')).status).toBe(400);
      expect((await get('/v1/action-runs/stats?limit=5')).status).toBe(400);
    });
  });

  describe('GET /v1/deployments', () => {
    it('answers when each version of a block last reached each workspace, successful runs only by default', async () => {
      const res = await get<Record<string, unknown>[]>('/v1/deployments?block=nginx');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        { workspace: 'acme-prod', block: 'nginx', from: `${NGINX}:0.3.1`, version: '0.3.1', runs: 1, lastRunId: ids.deployNew, lastStartedAt: '2026-11-02T10:00:00.000Z', lastFinishedAt: '2026-11-02T10:02:00.000Z' },
        { workspace: 'acme-staging', block: 'nginx', from: `${NGINX}:0.3.1`, version: '0.3.1', runs: 1, lastRunId: ids.staging, lastStartedAt: '2026-11-01T09:00:00.000Z', lastFinishedAt: '2026-11-01T09:06:00.000Z' },
        { workspace: 'acme-prod', block: 'nginx', from: `${NGINX}:0.3.0`, version: '0.3.0', runs: 1, lastRunId: ids.deployOld, lastStartedAt: '2026-10-05T10:00:00.000Z', lastFinishedAt: '2026-10-05T10:04:00.000Z' },
      ]);
      const withAborted = (await get<{ runs: number; version: string }[]>('/v1/deployments?block=nginx&block_version=0.3.1&workspace=acme-prod&status=successful,aborted')).body;
      expect(withAborted).toMatchObject([{ version: '0.3.1', runs: 2 }]);
      // the other tenant sees only its own
      const theirs = (await get<{ workspace: string }[]>('/v1/deployments?block=nginx', globex)).body;
      expect(theirs.filter((d) => d.workspace.startsWith('acme'))).toEqual([]);
    });
  });

  describe('the one timeline', () => {
    it('holds one entry per run, updated as the run finishes', async () => {
      const entries = (await get<Record<string, unknown>[]>('/v1/audit?entity_type=ActionRun&limit=1000')).body;
      expect(entries).toHaveLength(7);
      const restart = entries.filter((e) => e.entityId === ids.restart);
      expect(restart).toEqual([
        expect.objectContaining({
          action: 'Run',
          entityType: 'ActionRun',
          entityName: 'db-maintenance.restart',
          happenedAt: '2026-11-20T21:17:00.000Z',
          success: false,
          sourceType: 'Application',
          sourceName: 'gitlab-ci',
          context: { workspace: 'acme-prod', hostname: 'laptop-max', os_user: 'max', cli_version: '0.18.3' },
        }),
      ]);
      expect(entries.find((e) => e.entityId === ids.deployNew)).toMatchObject({ success: true, entityName: 'nginx.deploy' });
      expect((await get<unknown[]>('/v1/audit?action=Run&success=false&limit=1000')).body).toHaveLength(2);
    });
  });
});
