import { randomUUID } from 'node:crypto';
import { auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

const TABLES = ['audit_events', 'action_runs', 'commands', 'action_run_stats', 'action_run_deployments', 'action_run_durations'];

/**
 * The query service reads through Postgres row-level security, not around it: when the
 * tenant policy admits nothing, a tenant key sees nothing, although every repository
 * also filters by tenant itself and the rows are there.
 */
describe('query service under row-level security', () => {
  let t: TestStack;
  let acme: string;
  let runId: string;

  beforeAll(async () => {
    t = await startTestStack('e2erls');
    acme = await t.createKey('acme', ['events:write', 'audit:read']);
    runId = randomUUID();
    const run = {
      id: runId,
      workspace: { name: 'prod' },
      block: { name: 'nginx', from: 'registry.example/nginx:1.2.0' },
      action: 'deploy',
      status: 'successful',
      startedAt: '2025-01-01T00:00:00.000Z',
      finishedAt: '2025-01-01T00:01:00.000Z',
      exitCode: 0,
    };
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: acme, body: auditEvent({ happenedAt: '2022-01-01T00:00:00Z' }) })).status).toBe(202);
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: acme, body: run })).status).toBe(202);
    await eventually(async () => {
      const res = await request<unknown[]>('GET', `${t.queryUrl}/v1/action-runs/${runId}`, { key: acme });
      return res.status === 200 ? true : undefined;
    });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const setTenantPolicy = async (condition: string) => {
    for (const table of TABLES) await t.query(`ALTER POLICY tenant_isolation ON ${table} USING (${condition})`);
  };

  it('shows a tenant key nothing when the tenant policy admits nothing, and the root key everything', async () => {
    const paths = ['/v1/audit?end=2024-1-1', '/v1/action-runs', '/v1/deployments', '/v1/action-runs/stats?start=2025-1-1'];
    const before = await Promise.all(paths.map((p) => request<unknown[]>('GET', `${t.queryUrl}${p}`, { key: acme })));
    expect(before.map((r) => [r.status, r.body.length])).toEqual(paths.map(() => [200, 1]));

    await setTenantPolicy('false');
    try {
      const after = await Promise.all(paths.map((p) => request<unknown[]>('GET', `${t.queryUrl}${p}`, { key: acme })));
      expect(after.map((r) => [r.status, r.body.length])).toEqual(paths.map(() => [200, 0]));
      expect((await request('GET', `${t.queryUrl}/v1/action-runs/${runId}`, { key: acme })).status).toBe(404);
      const root = await request<unknown[]>('GET', `${t.queryUrl}/v1/audit?end=2024-1-1`, { key: t.adminKey });
      expect(root.body).toHaveLength(1);
    } finally {
      await setTenantPolicy(`tenant_id = current_setting('runtrail.tenant_id', true)`);
    }
    expect((await request('GET', `${t.queryUrl}/v1/action-runs/${runId}`, { key: acme })).status).toBe(200);
  });
});
