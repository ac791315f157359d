import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { verifyCommand, type CommandPayload } from '@runtrail/contracts';
import { NATS_URL, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

interface Session {
  runnerId: string;
  tenantId: string;
  stream: string;
  consumer: string;
  subject: string;
  signingPublicKey: string;
}

/**
 * Re-trigger commands, server side (docs/api.md#re-trigger-commands, ADR 0007): this test plays the runner
 * over HTTP and NATS; the real agent is tested in apps/cli.
 */
describe('re-trigger commands', () => {
  let t: TestStack;
  let key: string;
  let nc: NatsConnection;

  beforeAll(async () => {
    t = await startTestStack('e2ecmd', { COMMAND_TTL_SECONDS: '4' });
    key = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
    nc = await connect({ servers: NATS_URL });
  }, 90_000);

  afterAll(async () => {
    await nc?.close();
    await t?.stop();
  });

  const q = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, k = key) =>
    request<T>(method, `${t.queryUrl}${path}`, { key: k, body });

  async function storedRun(workspace = 'acme-prod', tenantKey = key): Promise<string> {
    const id = randomUUID();
    const run = { id, workspace: { name: workspace }, block: { name: 'nginx' }, action: 'deploy', status: 'failed', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:01:00Z', exitCode: 1 };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: tenantKey, body: run })).status).toBe(202);
    await eventually(async () => ((await q('GET', `/v1/action-runs/${id}`, undefined, tenantKey)).status === 200 ? true : undefined));
    return id;
  }

  async function runner(workspaces: string[], online: boolean, k = key): Promise<{ id: string; token: string; session: Session }> {
    const { body } = await q<{ id: string; token: string }>('POST', '/v1/runners', { name: `r-${randomUUID().slice(0, 8)}`, workspaces }, k);
    if (online) expect((await request('POST', `${t.queryUrl}/v1/runner-session/heartbeat`, { key: body.token, body: {} })).status).toBe(204);
    const session = (await request<Session>('GET', `${t.queryUrl}/v1/runner-session`, { key: body.token })).body;
    return { ...body, session };
  }

  /** The next message on a runner's own consumer, as the agent would fetch it. */
  async function nextDelivery(s: Session): Promise<{ payload: CommandPayload; raw: unknown }> {
    const consumer = await jetstream(nc).consumers.get(s.stream, s.consumer);
    const msg = await consumer.next({ expires: 5000 });
    if (!msg) throw new Error('no command delivered');
    msg.ack();
    const raw = msg.json<unknown>();
    return { raw, payload: verifyCommand(raw, s.signingPublicKey, { tenantId: s.tenantId, runnerId: s.runnerId }) };
  }

  it('answers 409 with a clear message when no runner of the tenant serves the workspace', async () => {
    const runId = await storedRun('nowhere');
    await runner(['acme-prod'], true);
    const res = await q<{ message: string }>('POST', `/v1/action-runs/${runId}/retrigger`, {});
    expect(res.status).toBe(409);
    expect(res.body.message).toBe('no runner of tenant acme serves workspace nowhere; register one with POST /v1/runners');
  });

  it('answers 404 for an unknown or foreign run, 400 for a malformed id, 403 without runs:retrigger', async () => {
    const globex = await t.createKey('globex', ['events:write', 'audit:read', 'runs:retrigger']);
    const foreign = await storedRun('acme-prod', globex);
    expect((await q('POST', `/v1/action-runs/${foreign}/retrigger`, {})).status).toBe(404);
    expect((await q('POST', `/v1/action-runs/${randomUUID()}/retrigger`, {})).status).toBe(404);
    expect((await q('POST', '/v1/action-runs/abc/retrigger', {})).status).toBe(400);
    const reader = await t.createKey('acme', ['audit:read']);
    expect((await q('POST', `/v1/action-runs/${randomUUID()}/retrigger`, {}, reader)).status).toBe(403);
  });

  it('dispatches to an online runner a signed command only it receives, and records who asked and why', async () => {
    const runId = await storedRun('acme-edge');
    const other = await runner(['acme-prod'], true); // does not serve acme-edge
    const r = await runner(['acme-edge', 'acme-stage'], true);
    const res = await q('POST', `/v1/action-runs/${runId}/retrigger`, { reason: 'registry timeout' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ commandId: expect.any(String), runId, runnerId: r.id, status: 'dispatched' });
    const commandId = res.body.commandId as string;

    const { payload } = await nextDelivery(r.session);
    expect(payload).toMatchObject({ commandId, runId, runnerId: r.id, tenantId: 'acme', workspace: 'acme-edge', block: 'nginx', action: 'deploy', reason: 'registry timeout' });
    await expect(jetstream(nc).consumers.get(other.session.stream, other.session.consumer).then((c) => c.next({ expires: 1000 }))).resolves.toBeNull();

    const command = await q(`GET`, `/v1/commands/${commandId}`);
    expect(command.body).toEqual({
      id: commandId, runId, runnerId: r.id, status: 'dispatched', reason: 'registry timeout',
      requestedBy: { sourceType: 'Application', sourceId: expect.any(String), sourceName: 'operator' },
      requestedAt: expect.any(String), updatedAt: expect.any(String), expiresAt: expect.any(String), newRunId: null, exitCode: null, scheduleId: null, error: null,
    });
    const entry = await eventually(async () => {
      const timeline = await q<Record<string, unknown>[]>('GET', `/v1/audit?action=Retrigger&entity_id=${runId}`);
      return timeline.body.length ? timeline.body[0] : undefined;
    });
    expect(entry).toMatchObject({ entityType: 'ActionRun', entityName: 'nginx.deploy', sourceName: 'operator', context: { reason: 'registry timeout', command_id: commandId, runner_id: r.id, workspace: 'acme-edge' } });
  });

  it('lets exactly one accept win, then follows the lifecycle to succeeded', async () => {
    const runId = await storedRun('acme-life');
    const r = await runner(['*'], true);
    const { body } = await q<{ commandId: string }>('POST', `/v1/action-runs/${runId}/retrigger`, {});
    const id = body.commandId;
    const as = (path: string, b?: unknown) => request('POST', `${t.queryUrl}/v1/commands/${id}/${path}`, { key: r.token, body: b });

    const [first, second] = await Promise.all([as('accept'), as('accept')]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    expect((await as('accept')).status).toBe(409);

    const stranger = await runner(['*'], true);
    expect((await request('POST', `${t.queryUrl}/v1/commands/${id}/accept`, { key: stranger.token })).status).toBe(404);
    expect((await request('POST', `${t.queryUrl}/v1/commands/${id}/accept`, { key })).status).toBe(403);

    const newRunId = randomUUID();
    expect((await as('status', { status: 'running', newRunId })).status).toBe(204);
    expect((await as('status', { status: 'succeeded', exitCode: 0, newRunId })).status).toBe(204);
    expect((await as('status', { status: 'running' })).status).toBe(409);
    expect((await q('GET', `/v1/commands/${id}`)).body).toMatchObject({ status: 'succeeded', exitCode: 0, newRunId });

    const detail = await eventually(async () => {
      const d = await q<{ retriggers: { status: string }[] }>('GET', `/v1/action-runs/${runId}`);
      return d.body.retriggers[0]?.status === 'succeeded' ? d.body : undefined;
    });
    expect(detail.retriggers).toEqual([{ commandId: id, status: 'succeeded', newRunId }]);
    const listed = await q<{ id: string }[]>('GET', `/v1/commands?run_id=${runId}&status=succeeded`);
    expect(listed.body.map((c) => c.id)).toEqual([id]);
  });

  it('queues for an offline runner, and expires a command nobody took in time', async () => {
    const runId = await storedRun('acme-offline');
    const r = await runner(['acme-offline'], false);
    // named: runners serving "*" from the other tests are online and would be chosen
    const { body } = await q<{ commandId: string; status: string }>('POST', `/v1/action-runs/${runId}/retrigger`, { runnerId: r.id });
    expect(body.status).toBe('queued');
    // still delivered to the runner's consumer, waiting for it
    expect((await nextDelivery(r.session)).payload.commandId).toBe(body.commandId);
    // Waits for the expiry to pass (4 s here) by asking, not by sleeping past it.
    const expired = await eventually(async () => {
      const c = await q<{ status: string }>('GET', `/v1/commands/${body.commandId}`);
      return c.body.status === 'expired' ? c.body : undefined;
    }, 15_000, 'the command expired');
    expect(expired).toMatchObject({ status: 'expired' });
    const accept = await request<{ message: string }>('POST', `${t.queryUrl}/v1/commands/${body.commandId}/accept`, { key: r.token });
    expect(accept.status).toBe(409);
    expect(accept.body.message).toMatch(/expired/);
    await eventually(async () => {
      const listed = await q<{ id: string }[]>('GET', `/v1/commands?status=expired&run_id=${runId}`);
      return listed.body.length === 1 ? true : undefined;
    });
  });

  it('uses the named runner, and refuses one that does not serve the workspace', async () => {
    const runId = await storedRun('acme-named');
    const a = await runner(['acme-named'], true);
    const b = await runner(['acme-named'], false);
    const wrong = await runner(['elsewhere'], true);
    expect((await q('POST', `/v1/action-runs/${runId}/retrigger`, { runnerId: b.id })).body).toMatchObject({ runnerId: b.id, status: 'queued' });
    expect((await q('POST', `/v1/action-runs/${runId}/retrigger`, {})).body).toMatchObject({ runnerId: a.id, status: 'dispatched' });
    const refused = await q<{ message: string }>('POST', `/v1/action-runs/${runId}/retrigger`, { runnerId: wrong.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(`runner ${wrong.id} does not serve workspace acme-named`);
    expect((await q('POST', `/v1/action-runs/${runId}/retrigger`, { runnerId: randomUUID() })).status).toBe(404);
    expect((await q('POST', `/v1/action-runs/${runId}/retrigger`, { reason: 'x'.repeat(1025) })).status).toBe(400);
  });
});
