import { randomUUID } from 'node:crypto';
import { ServiceProcess } from '@runtrail/launcher';
import { auditEvent, eventually, freePort, request, startHecReceiver, startSlackReceiver, startTestStack, startWebhookReceiver, type ReceivedRecord, type RecordingReceiver, type TestStack } from '@runtrail/testing';

interface StreamStatus {
  id: string;
  tenantId: string;
  name: string;
  kind: string;
  url: string;
  filter: Record<string, string>;
  state: 'active' | 'error' | 'paused';
  lastDeliveredAt: string | null;
  lastError: string | null;
  lagEntries: number;
  [field: string]: unknown;
}

const SECRET = 'whsec-0123456789abcdef';

// Deliveries wait on receivers made to fail and on services killed and started again: minutes on a busy machine, not jest's default 30 s.
jest.setTimeout(180_000);

/** A stream's figure in a /metrics text; 0 when the stream has no such series (nothing counted yet). */
function streamFigure(metrics: string, name: string, streamId: string): number {
  return Number(new RegExp(`^${name}\\{[^}]*stream="${streamId}"[^}]*\\} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0);
}

/**
 * Streams out (CONTRACT §8, docs/streams.md) through the real stack: receivers on loopback
 * that check every signature or token and record every record, made to fail for a while, and
 * the query service that delivers killed and started again.
 */
describe('streams', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;
  const receivers: RecordingReceiver[] = [];
  const replicas: ServiceProcess[] = [];

  const q = <T = unknown>(method: string, path: string, body?: unknown, key = acme) => request<T>(method, `${t.queryUrl}${path}`, { key, body });
  const streams = async (key = acme) => (await q<StreamStatus[]>('GET', '/v1/streams', undefined, key)).body;
  const streamOf = async (id: string, key = acme) => (await streams(key)).find((s) => s.id === id);

  async function receiver(start: Promise<RecordingReceiver>): Promise<RecordingReceiver> {
    const r = await start;
    receivers.push(r);
    return r;
  }

  async function create(body: Record<string, unknown>, key = acme): Promise<StreamStatus> {
    const res = await q<StreamStatus>('POST', '/v1/streams', body, key);
    if (res.status !== 201) throw new Error(`stream creation failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /** Posts `count` Project updates in requests of `perRequest`; answers their event ids in the order sent. */
  async function postEvents(count: number, tag: string, key = acme, perRequest = 50): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += perRequest) {
      const events = Array.from({ length: Math.min(perRequest, count - i) }, (_, j) => auditEvent({ entityId: `${tag}-${i + j}` }));
      expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: events })).status).toBe(202);
      ids.push(...events.map((e) => e.eventId as string));
    }
    return ids;
  }

  const arrived = (r: RecordingReceiver, ids: string[]) => eventually(async () => (ids.every((id) => r.distinctEventIds().includes(id)) ? true : undefined), 60_000, `${ids.length} records at the receiver`);

  /** The ids of first arrivals, in arrival order, of the records `ids` name. */
  function firstArrivalOrder(records: ReceivedRecord[], ids: Set<string>): number[] {
    const seen = new Set<string>();
    return records.filter((r) => ids.has(r.eventId) && !seen.has(r.eventId) && seen.add(r.eventId)).map((r) => r.id);
  }

  beforeAll(async () => {
    t = await startTestStack('e2estreams', { STREAM_ERROR_AFTER_SECONDS: '2', STREAM_MAX_BACKOFF_SECONDS: '2', STREAM_TARGET_ALLOW: '127.0.0.1/32,localhost' });
    acme = await t.createKey('acme', ['events:write', 'audit:read', 'admin'], 'acme-admin', 'User');
    globex = await t.createKey('globex', ['events:write', 'audit:read', 'admin'], 'globex-admin');
  });

  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await Promise.all(replicas.map((r) => r.stop()));
    await t?.stop();
  });

  it('delivers every record at least once and in order through a failing receiver and a killed deliverer', async () => {
    const hook = await receiver(startWebhookReceiver(SECRET));
    // Requests of 500: a batch of the stream holds more records than one read of it (2,000) takes.
    const history = await postEvents(2500, 'history', acme, 500);
    const stream = await create({ name: 'siem', kind: 'webhook', url: hook.url, secret: SECRET, from: 'beginning', filter: { entity_type: 'Project' } });
    expect(stream).toMatchObject({ name: 'siem', kind: 'webhook', url: hook.url, from: 'beginning', state: 'active', filter: { entity_type: 'Project' } });
    expect(JSON.stringify(stream)).not.toContain(SECRET);
    await arrived(hook, history);

    // The receiver answers 429 with Retry-After: what is posted meanwhile waits, the stream shows why and turns to error.
    hook.fail({ status: 429, retryAfterSeconds: 1 });
    const duringOutage = await postEvents(150, 'outage');
    const failing = await eventually(async () => {
      const s = await streamOf(stream.id);
      return s?.state === 'error' ? s : undefined;
    }, 30_000, 'state error');
    expect(failing.lastError).toContain('429');
    expect(failing.lagEntries).toBeGreaterThan(0);
    expect(hook.failedRequests).toBeGreaterThanOrEqual(2);

    // The replica that delivers is killed with a batch in hand; a second replica takes over at once.
    const standby = new ServiceProcess({ name: 'query', port: await freePort(), env: t.env, output: 'collect' });
    replicas.push(standby);
    standby.start();
    await standby.waitReady(60_000);
    await t.stack.services.query.stop('SIGKILL');
    hook.recover();
    const posted = await postEvents(200, 'takeover');
    await arrived(hook, [...history, ...duringOutage, ...posted]);
    // Delivered by the standby, which counted them.
    const metrics = (await request('GET', `${standby.url}/metrics`)).text;
    expect(streamFigure(metrics, 'runtrail_stream_records_delivered_total', stream.id)).toBeGreaterThanOrEqual(posted.length);

    // And that one is killed too, mid-way: the first, started again, goes on after what was acknowledged.
    const lastBatch = postEvents(200, 'restart');
    await standby.stop('SIGKILL');
    t.stack.services.query.start();
    await t.stack.services.query.waitReady(60_000);
    posted.push(...(await lastBatch));

    const all = [...history, ...duringOutage, ...posted];
    await arrived(hook, all);
    expect(hook.refused).toEqual([]);
    const order = firstArrivalOrder(hook.records, new Set(all));
    expect(order).toHaveLength(all.length);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const recovered = await eventually(async () => {
      const s = await streamOf(stream.id);
      return s?.state === 'active' && s.lagEntries === 0 ? s : undefined;
    }, 30_000, 'caught up');
    expect(recovered.lastError).toBeNull();
    expect(recovered.lastDeliveredAt).not.toBeNull();

    const restarted = (await request('GET', `${t.queryUrl}/metrics`)).text;
    expect(restarted).toMatch(new RegExp(`^runtrail_stream_lag_entries\\{[^}]*stream="${stream.id}"[^}]*\\} 0$`, 'm'));
  });

  it('sends again only what a receiver did not take when it fails in the middle of a batch', async () => {
    const hook = await receiver(startWebhookReceiver(SECRET));
    const stream = await create({ name: 'mid-batch', kind: 'webhook', url: hook.url, secret: SECRET, filter: { entity_type: 'Project' } });
    // Paused while 2,500 events arrive, so that on resume they come in few batches of several requests (500 records each).
    expect((await q('POST', `/v1/streams/${stream.id}/pause`)).status).toBe(200);
    const ids = await postEvents(2500, 'mid-batch', acme, 500);
    await eventually(async () => ((await streamOf(stream.id))?.lagEntries === 2500 ? true : undefined), 30_000, 'all stored');
    // The first batch after a start is one message; the second holds the other four: its second request fails once.
    hook.failRequest(3, { status: 503 });
    expect((await q('POST', `/v1/streams/${stream.id}/resume`)).status).toBe(200);
    await arrived(hook, ids);
    expect(hook.failedRequests).toBe(1);
    expect(hook.records.map((r) => r.eventId)).toEqual(ids);
    expect((await q('DELETE', `/v1/streams/${stream.id}`)).status).toBe(204);
  });

  it('alerts on failed runs only, once each, when they finish', async () => {
    const hook = await receiver(startWebhookReceiver(SECRET));
    const chat = await receiver(startSlackReceiver());
    const alert = await create({ name: 'failed runs', kind: 'webhook', url: hook.url, secret: SECRET, filter: { entity_type: 'ActionRun', success: 'false' } });
    const chatAlert = await create({ name: 'failed runs to chat', kind: 'slack', url: chat.url, filter: { entity_type: 'ActionRun', success: 'false' } });
    // A Slack URL's path is its credential: answered like a secret, never again.
    expect(chatAlert.url).toBe(`${new URL(chat.url).origin}/…`);
    expect((await streamOf(chatAlert.id))?.url).toBe(`${new URL(chat.url).origin}/…`);
    const run = (id: string, status: string) => ({
      id,
      workspace: { name: 'prod' },
      block: { name: 'deploy' },
      action: 'apply',
      status,
      startedAt: '2026-11-30T10:00:00Z',
      ...(status === 'running' ? {} : { finishedAt: '2026-11-30T10:01:00Z', exitCode: status === 'successful' ? 0 : 1 }),
    });
    const report = async (id: string, status: string) => expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: acme, body: run(id, status) })).status).toBe(202);
    const [failed, succeeded, stillRunning, sentinel] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await report(failed, 'running');
    await report(stillRunning, 'running');
    await report(succeeded, 'successful');
    await report(failed, 'failed');
    await report(sentinel, 'aborted');
    // The sentinel comes last in the stream: once it arrived, everything before it was considered.
    await eventually(async () => (hook.records.some((r) => r.entityId === sentinel) ? true : undefined), 30_000, 'the sentinel run');
    const runs = [...new Set(hook.records.map((r) => r.entityId))];
    expect(runs).toEqual([failed, sentinel]);
    expect(hook.records.every((r) => r.entityType === 'ActionRun' && r.success === false && r.action === 'Run')).toBe(true);
    // The same alert in a chat channel: one readable line per failed run.
    await eventually(async () => (chat.texts.some((l) => l.includes(`#${hook.records.find((r) => r.entityId === sentinel)?.id}]`)) ? true : undefined), 30_000, 'the sentinel in chat');
    expect(chat.refused).toEqual([]);
    const failedEntry = hook.records.find((r) => r.entityId === failed);
    expect([...new Set(chat.texts)]).toEqual([
      `:x: Run ActionRun "deploy.apply" by acme-admin (User) at 2026-11-30T10:00:00.000Z [acme #${failedEntry?.id}]`,
      `:x: Run ActionRun "deploy.apply" by acme-admin (User) at 2026-11-30T10:00:00.000Z [acme #${hook.records.find((r) => r.entityId === sentinel)?.id}]`,
    ]);
    for (const s of [alert, chatAlert]) expect((await q('DELETE', `/v1/streams/${s.id}`)).status).toBe(204);
  });

  it('tells a receiver when a key is created or revoked, as the README\'s recipe does', async () => {
    const hook = await receiver(startWebhookReceiver(SECRET));
    const stream = await create({ name: 'key changes', kind: 'webhook', url: hook.url, secret: SECRET, filter: { entity_type: 'ApiKey' } });
    const issued = await t.issueKey({ tenantId: 'acme', name: 'ci-deployer', scopes: ['events:write'] }, acme);
    expect((await q('DELETE', `/v1/api-keys/${issued.id}`)).status).toBe(204);
    const acts = await eventually(async () => {
      const mine = hook.records.filter((r) => r.entityId === issued.id);
      return mine.some((r) => r.action === 'Delete') ? mine : undefined;
    }, 30_000, 'the revocation');
    expect([...new Set(acts.map((r) => r.action))]).toEqual(['Create', 'Delete']);
    expect(acts.every((r) => r.entityType === 'ApiKey' && r.entityName === 'ci-deployer' && r.sourceName === 'acme-admin')).toBe(true);
    expect(JSON.stringify(hook.records)).not.toContain(issued.key);
    expect(hook.records.every((r) => r.entityType === 'ApiKey')).toBe(true);
    expect((await q('DELETE', `/v1/streams/${stream.id}`)).status).toBe(204);
  });

  it('delivers to a receiver that speaks HEC, with the token as Splunk documents it', async () => {
    const hec = await receiver(startHecReceiver('11111111-2222-3333-4444-555555555555'));
    const good = await create({ name: 'splunk', kind: 'splunk-hec', url: hec.url, secret: '11111111-2222-3333-4444-555555555555' });
    const wrong = await create({ name: 'splunk, wrong token', kind: 'splunk-hec', url: hec.url, secret: 'not-the-token' });
    // Busy for a while first (503, as HEC answers when its queue is full): the good stream retries.
    hec.fail({ status: 503 });
    const ids = await postEvents(120, 'hec');
    await eventually(async () => (hec.failedRequests >= 2 ? true : undefined), 30_000, 'deliveries refused');
    hec.recover();
    await arrived(hec, ids);
    const order = firstArrivalOrder(hec.records, new Set(ids));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const refused = await eventually(async () => {
      const s = await streamOf(wrong.id);
      return s?.lastError?.includes('403') ? s : undefined;
    }, 30_000, 'the wrong token refused');
    expect(refused.lastError).toContain('Invalid token');
    expect(refused.lagEntries).toBeGreaterThanOrEqual(ids.length);

    // Counted per stream by the replica that delivers (the one test 1 left running).
    const metrics = (await request('GET', `${t.queryUrl}/metrics`)).text;
    const figure = (name: string, id: string) => streamFigure(metrics, name, id);
    expect(figure('runtrail_stream_records_delivered_total', good.id)).toBeGreaterThanOrEqual(ids.length);
    expect(figure('runtrail_stream_records_failed_total', good.id)).toBeGreaterThan(0);
    expect(figure('runtrail_stream_records_retried_total', good.id)).toBeGreaterThan(0);
    expect(figure('runtrail_stream_records_delivered_total', wrong.id)).toBe(0);
    expect(figure('runtrail_stream_records_failed_total', wrong.id)).toBeGreaterThan(0);
    for (const s of [good, wrong]) expect((await q('DELETE', `/v1/streams/${s.id}`)).status).toBe(204);
  });

  it('pauses, resumes, tests and deletes, each in the timeline, and keeps tenants apart', async () => {
    const hook = await receiver(startWebhookReceiver(SECRET));
    const stream = await create({ name: 'ops', kind: 'webhook', url: hook.url, secret: SECRET, filter: { entity_type: 'Project' } });

    const paused = await q<StreamStatus>('POST', `/v1/streams/${stream.id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe('paused');
    const whilePaused = await postEvents(30, 'paused');
    await eventually(async () => ((await streamOf(stream.id))?.lagEntries === 30 ? true : undefined), 30_000, 'lag of 30 while paused');
    expect(hook.records.filter((r) => whilePaused.includes(r.eventId))).toEqual([]);

    expect((await q('POST', `/v1/streams/${stream.id}/test`)).status).toBe(202);
    const test = await eventually(async () => hook.records.find((r) => r.entityType === 'StreamTest'), 15_000, 'the test record');
    expect(test).toMatchObject({ entityType: 'StreamTest', entityId: stream.id, tenantId: 'acme', sourceName: 'acme-admin' });

    expect((await q<StreamStatus>('POST', `/v1/streams/${stream.id}/resume`)).body.state).toBe('active');
    await arrived(hook, whilePaused);

    // Another tenant's key sees nothing of it and cannot act on it.
    expect((await streams(globex)).map((s) => s.id)).not.toContain(stream.id);
    for (const act of ['pause', 'resume', 'test']) expect((await q('POST', `/v1/streams/${stream.id}/${act}`, undefined, globex)).status).toBe(404);
    expect((await q('DELETE', `/v1/streams/${stream.id}`, undefined, globex)).status).toBe(404);
    // The root key sees every tenant's.
    expect((await streams(t.adminKey)).map((s) => s.id)).toContain(stream.id);

    expect((await q('DELETE', `/v1/streams/${stream.id}`)).status).toBe(204);
    expect((await q('DELETE', `/v1/streams/${stream.id}`)).status).toBe(404);
    expect((await q('POST', `/v1/streams/${stream.id}/pause`)).status).toBe(404);
    expect((await streams()).map((s) => s.id)).not.toContain(stream.id);

    const entries = await eventually(async () => {
      const page = (await q<ReceivedRecord[]>('GET', `/v1/audit?entity_type=Stream&entity_id=${stream.id}&limit=10`)).body;
      return page.length === 4 ? page : undefined;
    }, 30_000, 'four Stream entries');
    expect(entries.map((e) => e.action).reverse()).toEqual(['Create', 'Pause', 'Resume', 'Delete']);
    expect(entries.every((e) => e.sourceName === 'acme-admin' && e.sourceType === 'User')).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(SECRET);
    // The test record was not stored.
    expect((await q<unknown[]>('GET', '/v1/audit?entity_type=StreamTest')).body).toEqual([]);
  });

  it('refuses what it cannot deliver safely, naming each problem', async () => {
    const refusal = async (body: Record<string, unknown>, key = acme) => {
      const res = await q<{ message: string[] }>('POST', '/v1/streams', body, key);
      return { status: res.status, text: res.text };
    };
    const base = { name: 'x', kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: SECRET };
    expect(await refusal({ ...base, kind: 'email' })).toMatchObject({ status: 400, text: expect.stringContaining('kind must be one of webhook, splunk-hec, syslog, slack') });
    expect(await refusal({ ...base, secret: undefined })).toMatchObject({ status: 400, text: expect.stringContaining('secret of a webhook stream is required') });
    expect(await refusal({ ...base, secret: 'short' })).toMatchObject({ status: 400, text: expect.stringContaining('16 characters or more') });
    expect(await refusal({ ...base, kind: 'syslog', secret: undefined })).toMatchObject({ status: 400, text: expect.stringContaining('syslog://host:port') });
    expect(await refusal({ ...base, kind: 'slack' })).toMatchObject({ status: 400, text: expect.stringContaining('secret is not used by a slack stream') });
    expect(await refusal({ ...base, url: 'http://user:pw@127.0.0.1/x' })).toMatchObject({ status: 400, text: expect.stringContaining('must not carry a user or password') });
    expect(await refusal({ ...base, url: 'http://10.1.2.3/hook' })).toMatchObject({ status: 400, text: expect.stringContaining('10.1.2.3 is not allowed by STREAM_TARGET_ALLOW') });
    expect(await refusal({ ...base, filter: { entity_typ: 'Project' } })).toMatchObject({ status: 400, text: expect.stringContaining('filter.entity_typ is not a known filter') });
    expect(await refusal({ ...base, filter: { success: 'maybe' } })).toMatchObject({ status: 400, text: expect.stringContaining('filter.success must be true or false') });
    expect(await refusal({ ...base, filter: ['Project'] })).toMatchObject({ status: 400, text: expect.stringContaining('filter must be an object') });
    const all = await q<{ message: string[] }>('POST', '/v1/streams', { ...base, url: 'ftp://127.0.0.1/x', secret: 'short', filter: { success: 'maybe' } });
    expect(all.status).toBe(400);
    expect(all.body.message).toEqual([
      'url of a webhook stream must be http:// or https://',
      'secret of a webhook stream is required: its HMAC key, 16 characters or more',
      'filter.success must be true or false',
    ]);
    expect(await refusal({ ...base, from: 'yesterday' })).toMatchObject({ status: 400, text: expect.stringContaining('from must be now or beginning') });
    expect(await refusal({ ...base, tenantId: 'globex' })).toMatchObject({ status: 403 });
    expect(await refusal(base, t.adminKey)).toMatchObject({ status: 400, text: expect.stringContaining('tenantId is required with the root key') });
    const reader = await t.createKey('acme', ['audit:read'], 'reader');
    expect(await refusal(base, reader)).toMatchObject({ status: 403 });
    expect((await q('GET', '/v1/streams', undefined, reader)).status).toBe(403);
    expect((await q('GET', '/v1/streams?x=1')).status).toBe(400);
    expect((await q('POST', '/v1/streams/not-an-id/pause')).status).toBe(400);
    // The root key names the tenant.
    const rooted = await create({ ...base, tenantId: 'globex' }, t.adminKey);
    expect(rooted.tenantId).toBe('globex');
    expect((await q('DELETE', `/v1/streams/${rooted.id}`, undefined, globex)).status).toBe(204);
  });
});
