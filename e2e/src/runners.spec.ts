import { eventSubject } from '@runtrail/contracts';
import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { NATS_URL, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

interface RunnerView {
  id: string;
  name: string;
  workspaces: string[];
  online: boolean;
  lastSeenAt: string | null;
  hostname: string | null;
  version: string | null;
}

/** The runner registry (docs/api.md#runners), and the agent's session endpoints (ADR 0007). */
describe('runner registry', () => {
  let t: TestStack;
  let manager: string;

  beforeAll(async () => {
    t = await startTestStack('e2erunners');
    manager = await t.createKey('acme', ['runners:manage', 'audit:read', 'events:write']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const register = (body: unknown, key = manager) => request<{ id: string; token: string; name: string; workspaces: string[] }>('POST', `${t.queryUrl}/v1/runners`, { key, body });
  const list = async (key = manager) => (await request<RunnerView[]>('GET', `${t.queryUrl}/v1/runners`, { key })).body;
  const heartbeat = (token: string, body: unknown) => request('POST', `${t.queryUrl}/v1/runner-session/heartbeat`, { key: token, body });

  async function consumerExists(name: string): Promise<boolean> {
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      return await jsm.consumers.info(`${t.namespace}-events`, name).then(() => true, () => false);
    } finally {
      await nc.close();
    }
  }

  it('registers a runner with a token shown once, and lists it offline until it heartbeats', async () => {
    const res = await register({ name: 'gitlab-runner-42', workspaces: ['acme-prod', 'acme-staging'] });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'gitlab-runner-42', workspaces: ['acme-prod', 'acme-staging'], token: expect.stringMatching(/^rtr_[0-9A-Za-z]{40}$/) });
    const listed = await request<RunnerView[]>('GET', `${t.queryUrl}/v1/runners`, { key: manager });
    expect(listed.text).not.toContain(res.body.token);
    expect(listed.body.find((r) => r.id === res.body.id)).toEqual({
      id: res.body.id, name: 'gitlab-runner-42', workspaces: ['acme-prod', 'acme-staging'], online: false, lastSeenAt: null, hostname: null, version: null,
    });
    expect(await consumerExists(`${t.namespace}-runner-${res.body.id}`)).toBe(true);
  });

  it('is online after a heartbeat, and offline at once when the agent stops cleanly', async () => {
    const { body: runner } = await register({ name: 'edge-vm', workspaces: ['*'] });
    expect((await heartbeat(runner.token, { hostname: 'edge-01', version: '0.1.0' })).status).toBe(204);
    expect((await list()).find((r) => r.id === runner.id)).toMatchObject({ online: true, hostname: 'edge-01', version: '0.1.0', lastSeenAt: expect.any(String) });
    expect((await heartbeat(runner.token, { state: 'offline' })).status).toBe(204);
    expect((await list()).find((r) => r.id === runner.id)).toMatchObject({ online: false });
  });

  it('tells the agent who it is and where its commands arrive', async () => {
    const { body: runner } = await register({ name: 'ci', workspaces: ['acme-prod'] });
    const session = await request('GET', `${t.queryUrl}/v1/runner-session`, { key: runner.token });
    expect(session.status).toBe(200);
    expect(session.body).toEqual({
      runnerId: runner.id, tenantId: 'acme', name: 'ci', workspaces: ['acme-prod'],
      stream: `${t.namespace}-events`, consumer: `${t.namespace}-runner-${runner.id}`, subject: `${t.namespace}.evt.acme.cmd.${runner.id}`,
      signingPublicKey: expect.stringMatching(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]+\n-----END PUBLIC KEY-----\n$/),
    });
    // an API key is not a runner
    expect((await request('GET', `${t.queryUrl}/v1/runner-session`, { key: manager })).status).toBe(403);
  });

  it('lets a runner report runs under its own name, and nothing more', async () => {
    const { body: runner } = await register({ name: 'reporter', workspaces: ['acme-prod'] });
    const id = randomUUID();
    const run = { id, workspace: { name: 'acme-prod' }, block: { name: 'nginx' }, action: 'deploy', status: 'successful', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:01:00Z', exitCode: 0 };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: runner.token, body: run })).status).toBe(202);
    const stored = await eventually(async () => {
      const r = await request<{ sourceName: string; sourceId: string }>('GET', `${t.queryUrl}/v1/action-runs/${id}`, { key: manager });
      return r.status === 200 ? r.body : undefined;
    });
    expect(stored).toMatchObject({ sourceName: 'reporter', sourceId: runner.id });
    expect((await request('GET', `${t.queryUrl}/v1/audit`, { key: runner.token })).status).toBe(403);
    expect((await request('GET', `${t.queryUrl}/v1/runners`, { key: runner.token })).status).toBe(403);
  });

  it('records every registration and removal as a fact in the stream', async () => {
    const { body: runner } = await register({ name: 'audited', workspaces: ['acme-prod'] });
    expect((await request('DELETE', `${t.queryUrl}/v1/runners/${runner.id}`, { key: manager })).status).toBe(204);
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const facts: { type: string; runner: { id: string } }[] = [];
      const stream = `${t.namespace}-events`;
      const { state } = await jsm.streams.info(stream);
      for (let seq = state.first_seq; seq <= state.last_seq; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
        if (m?.subject === eventSubject(t.namespace, 'acme', 'runner')) facts.push(...m.json<{ events: typeof facts }>().events);
      }
      expect(facts.filter((f) => f.runner.id === runner.id).map((f) => f.type)).toEqual(['registered', 'removed']);
      expect(JSON.stringify(facts)).not.toContain(runner.token);
    } finally {
      await nc.close();
    }
  });

  it('records registration and removal in the tenant’s timeline with the acting principal as source', async () => {
    const { body: runner } = await register({ name: 'timeline-runner', workspaces: ['acme-prod', 'acme-stage'] });
    expect((await request('DELETE', `${t.queryUrl}/v1/runners/${runner.id}`, { key: manager })).status).toBe(204);
    const entries = await eventually(async () => {
      const res = await request<Record<string, unknown>[]>('GET', `${t.queryUrl}/v1/audit?entity_type=Runner&entity_id=${runner.id}`, { key: manager });
      return res.body.length === 2 ? res.body : undefined;
    });
    expect(entries.map((e) => e.action)).toEqual(['Delete', 'Create']);
    expect(entries[1]).toMatchObject({ entityName: 'timeline-runner', sourceType: 'Application', context: { workspaces: 'acme-prod,acme-stage' } });
  });

  it('refuses a removed runner’s token from then on, and drops its consumer', async () => {
    const { body: runner } = await register({ name: 'retired', workspaces: ['acme-prod'] });
    expect((await heartbeat(runner.token, {})).status).toBe(204);
    expect((await request('DELETE', `${t.queryUrl}/v1/runners/${runner.id}`, { key: manager })).status).toBe(204);
    expect((await heartbeat(runner.token, {})).status).toBe(401);
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: runner.token, body: {} })).status).toBe(401);
    expect((await list()).some((r) => r.id === runner.id)).toBe(false);
    expect(await consumerExists(`${t.namespace}-runner-${runner.id}`)).toBe(false);
  });

  it('keeps tenants apart: another tenant neither lists nor removes them', async () => {
    const other = await t.createKey('globex', ['runners:manage']);
    const { body: mine } = await register({ name: 'mine', workspaces: ['acme-prod'] });
    expect((await list(other)).some((r) => r.id === mine.id)).toBe(false);
    const foreign = await request<{ message: string }>('DELETE', `${t.queryUrl}/v1/runners/${mine.id}`, { key: other });
    const missing = await request<{ message: string }>('DELETE', `${t.queryUrl}/v1/runners/${randomUUID()}`, { key: other });
    expect([foreign.status, missing.status]).toEqual([404, 404]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no workspaces', { name: 'r', workspaces: [] }, /^workspaces must contain at least 1/],
    ['an unsafe workspace name', { name: 'r', workspaces: ['acme prod'] }, /^each workspace must be "\*" or a workspace name/],
    ['a name with a control character', { name: 'r\u0007', workspaces: ['a'] }, /^name must be 1 to 128 printable/],
    ['an unknown field', { name: 'r', workspaces: ['a'], tenantId: 'globex' }, /^tenantId is not a known field/],
  ])('refuses %s with 400', async (_name, body, pattern) => {
    const res = await register(body);
    expect(res.status).toBe(400);
    expect((res.body as unknown as { message: string[] }).message.some((m) => pattern.test(m))).toBe(true);
  });

  it('needs runners:manage, and a tenant key', async () => {
    const reader = await t.createKey('acme', ['audit:read']);
    expect((await register({ name: 'r', workspaces: ['a'] }, reader)).status).toBe(403);
    const root = await register({ name: 'r', workspaces: ['a'] }, t.adminKey);
    expect(root.status).toBe(403);
    expect(root.body).toMatchObject({ message: expect.stringMatching(/root key/) });
  });
});
