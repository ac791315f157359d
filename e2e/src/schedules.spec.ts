import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { ServiceProcess, freePort } from '@runtrail/launcher';
import { verifyCommand } from '@runtrail/contracts';
import { NATS_URL, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

interface Schedule {
  id: string;
  runId: string;
  nextFireAt: string | null;
  paused: boolean;
  lastFiredAt: string | null;
  lastCommandId: string | null;
  lastError: string | null;
  [field: string]: unknown;
}

interface Session {
  runnerId: string;
  tenantId: string;
  stream: string;
  consumer: string;
  signingPublicKey: string;
}

/**
 * Schedules through the real stack (docs/api.md#schedules, ADR 0014), with three query
 * replicas ticking every second against one NATS and one database. Firing schedules run every
 * minute and are created first, so the other tests run while the first fire time comes.
 */
describe('schedules', () => {
  let t: TestStack;
  let nc: NatsConnection;
  let operator: string;
  let reader: string;
  let globex: string;
  const extraReplicas: ServiceProcess[] = [];
  /** The run the firing schedules repeat, its runner, and the three schedules that fire every minute. */
  let firing: { runId: string; runnerId: string; session: Session; every: Schedule; unserved: Schedule; revoked: Schedule };

  const q = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, key = operator) => request<T>(method, `${t.queryUrl}${path}`, { key, body });
  const replicas = () => [t.stack.services.query, ...extraReplicas];

  async function storedRun(workspace: string, key = operator): Promise<string> {
    const id = randomUUID();
    const run = { id, workspace: { name: workspace }, block: { name: 'backup', from: 'registry/backup', version: '1.2.0' }, action: 'restore', status: 'successful', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:01:00Z', exitCode: 0 };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key, body: run })).status).toBe(202);
    await eventually(async () => ((await q('GET', `/v1/action-runs/${id}`, undefined, key)).status === 200 ? true : undefined));
    return id;
  }

  async function create(body: Record<string, unknown>, key = operator): Promise<Schedule> {
    const res = await q<Schedule>('POST', '/v1/schedules', body, key);
    if (res.status !== 201) throw new Error(`schedule creation failed: ${res.status} ${res.text}`);
    return res.body;
  }

  const schedule = async (id: string) => (await q<Schedule>('GET', `/v1/schedules/${id}`)).body;

  beforeAll(async () => {
    t = await startTestStack('e2esched', { SCHEDULE_TICK_SECONDS: '1' });
    for (let i = 0; i < 2; i++) extraReplicas.push(new ServiceProcess({ name: 'query', port: await freePort(), env: t.env, output: 'collect' }));
    extraReplicas.forEach((r) => r.start());
    nc = await connect({ servers: NATS_URL });
    operator = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
    reader = await t.createKey('acme', ['audit:read'], 'auditor');
    globex = await t.createKey('globex', ['events:write', 'audit:read', 'runs:retrigger']);
    const shortLived = await t.issueKey({ tenantId: 'acme', name: 'short-lived', scopes: ['runs:retrigger', 'audit:read'] });

    const runId = await storedRun('acme-sched');
    const otherRunId = await storedRun('acme-unserved');
    const runner = (await q<{ id: string; token: string }>('POST', '/v1/runners', { name: 'sched-runner', workspaces: ['acme-sched'] })).body;
    const session = (await request<Session>('GET', `${t.queryUrl}/v1/runner-session`, { key: runner.token })).body;
    const every = await create({ runId, cron: '* * * * *', reason: 'every minute', correlationId: 'sched-pipe' });
    const unserved = await create({ runId: otherRunId, cron: '* * * * *', reason: 'nobody serves it' });
    const revoked = await create({ runId, cron: '* * * * *', reason: 'creator revoked' }, shortLived.key);
    expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${shortLived.id}`, { key: t.adminKey })).status).toBe(204);
    firing = { runId, runnerId: runner.id, session, every, unserved, revoked };
    await Promise.all(extraReplicas.map((r) => r.waitReady(60_000)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(extraReplicas.map((r) => r.stop()));
    await nc?.close();
    await t?.stop();
  });

  it('creates, reads, lists with paging, pauses, resumes and deletes a schedule, each act in the timeline', async () => {
    const runId = await storedRun('acme-crud');
    const created = await q<Schedule>('POST', '/v1/schedules', { runId, cron: '0 3 * * 0', timezone: 'Europe/Berlin', reason: 'weekly drill', until: '2099-01-01T00:00:00Z' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String), runId, cron: '0 3 * * 0', timezone: 'Europe/Berlin', reason: 'weekly drill', runnerId: null,
      until: '2099-01-01T00:00:00.000Z', nextFireAt: expect.any(String), paused: false, createdAt: expect.any(String), correlationId: null,
      createdBy: { sourceType: 'Application', sourceId: expect.any(String), sourceName: 'operator' }, lastFiredAt: null, lastCommandId: null, lastError: null,
    });
    const { id } = created.body;
    expect(await schedule(id)).toEqual(created.body);

    await create({ runId, cron: '0 4 1 1 *', reason: 'b' });
    await create({ runId, cron: '0 5 1 1 *', reason: 'c' });
    const all = await eventually(async () => {
      const res = await q<Schedule[]>('GET', `/v1/schedules?run_id=${runId}`);
      return res.body.length === 3 ? res.body : undefined;
    });
    const byNewest = [...all].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)) || b.id.localeCompare(a.id));
    expect(all.map((s) => s.id)).toEqual(byNewest.map((s) => s.id));
    const page1 = await q<Schedule[]>('GET', `/v1/schedules?run_id=${runId}&limit=2`);
    expect(page1.body).toEqual(all.slice(0, 2));
    const link = page1.headers.get('link') ?? '';
    expect(link).toMatch(new RegExp(`^</v1/schedules\\?run_id=${runId}&limit=2&cursor=[^>]+>; rel="next"$`));
    const page2 = await q<Schedule[]>('GET', link.slice(1, link.indexOf('>')));
    expect(page2.body).toEqual(all.slice(2));
    expect(page2.headers.get('link')).toBeNull();

    const paused = await q<Schedule>('POST', `/v1/schedules/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ id, paused: true, nextFireAt: null });
    expect((await q<Schedule>('POST', `/v1/schedules/${id}/pause`)).body).toMatchObject({ paused: true });
    expect((await q<Schedule>('POST', `/v1/schedules/${id}/resume`)).body).toMatchObject({ paused: false, nextFireAt: created.body.nextFireAt });
    expect((await q('DELETE', `/v1/schedules/${id}`)).status).toBe(204);
    expect((await q('GET', `/v1/schedules/${id}`)).status).toBe(404);
    expect((await q('DELETE', `/v1/schedules/${id}`)).status).toBe(404);

    const acts = await eventually(async () => {
      const res = await q<{ action: string; entityName: string; context: Record<string, string> }[]>('GET', `/v1/audit?entity_type=Schedule&entity_id=${id}`);
      return res.body.length === 4 ? res.body : undefined;
    });
    expect(acts.map((a) => a.action).sort()).toEqual(['Create', 'Delete', 'Pause', 'Resume']);
    expect(acts[0]).toMatchObject({ entityName: 'backup.restore', context: { run_id: runId, cron: '0 3 * * 0', timezone: 'Europe/Berlin' } });
    await eventually(async () => ((await q<Schedule[]>('GET', `/v1/schedules?run_id=${runId}`)).body.length === 2 ? true : undefined), 15_000, 'the deleted schedule left the list');
  });

  it('refuses bad input with 400, a reader with 403, and keeps tenants apart', async () => {
    const runId = await storedRun('acme-valid');
    const bad = async (body: Record<string, unknown>, message: RegExp) => {
      const res = await q<{ message: string | string[] }>('POST', '/v1/schedules', { runId, cron: '0 3 * * *', reason: 'r', ...body });
      expect(res.status).toBe(400);
      expect(String(res.body.message)).toMatch(message);
    };
    await bad({ cron: '0 0 3 * * *' }, /cron must be five fields/);
    await bad({ cron: '@reboot' }, /cron must be five fields/);
    await bad({ timezone: 'Mars/Olympus' }, /timezone must be an IANA time zone name/);
    await bad({ until: '2020-01-01T00:00:00Z' }, /until must be in the future/);
    await bad({ until: 'soon' }, /until must be an ISO-8601 date-time with zone/);
    await bad({ reason: undefined }, /reason must be 1 to 1024 printable characters/);
    await bad({ reason: 'x\u0007y' }, /reason must be 1 to 1024 printable characters/);
    await bad({ correlationId: 'c'.repeat(129) }, /correlationId must be 1 to 128 printable characters/);
    await bad({ runId: 'nope' }, /runId must be a UUID/);
    await bad({ extra: 1 }, /extra/);
    expect((await q('POST', '/v1/schedules', { runId: randomUUID(), cron: '0 3 * * *', reason: 'r' })).status).toBe(404);
    expect((await q('GET', '/v1/schedules?run_idd=x')).status).toBe(400);

    expect((await q('POST', '/v1/schedules', { runId, cron: '0 3 * * *', reason: 'r' }, reader)).status).toBe(403);
    const mine = await create({ runId, cron: '0 3 * * *', reason: 'r' });
    expect((await q('GET', `/v1/schedules/${mine.id}`, undefined, reader)).status).toBe(200);
    expect((await q('POST', `/v1/schedules/${mine.id}/pause`, undefined, reader)).status).toBe(403);

    expect((await q('POST', '/v1/schedules', { runId, cron: '0 3 * * *', reason: 'r' }, globex)).status).toBe(404);
    expect((await q('GET', `/v1/schedules/${mine.id}`, undefined, globex)).status).toBe(404);
    expect((await q('POST', `/v1/schedules/${mine.id}/pause`, undefined, globex)).status).toBe(404);
    expect((await q('DELETE', `/v1/schedules/${mine.id}`, undefined, globex)).status).toBe(404);
    await eventually(async () => ((await q<Schedule[]>('GET', `/v1/schedules?run_id=${runId}`)).body.length === 1 ? true : undefined));
    expect((await q<Schedule[]>('GET', '/v1/schedules', undefined, globex)).body).toEqual([]);
  });

  it('fires at the fire time once across three replicas: a command of the run for its runner, in the creator’s name; failed firings say why', async () => {
    const { every, runId } = firing;
    const fireAt = every.nextFireAt as string;
    const afterFirst = await eventually(async () => {
      const s = await schedule(every.id);
      return s.lastCommandId ? s : undefined;
    }, 75_000, 'the first firing');
    expect(afterFirst.nextFireAt).not.toBe(fireAt);

    // The schedule names its firing's command as it fires; the command follows a moment later.
    const command = await eventually(async () => {
      const res = await q(`GET`, `/v1/commands/${afterFirst.lastCommandId}`);
      return res.status === 200 ? res.body : undefined;
    });
    expect(command).toMatchObject({ runId, runnerId: firing.runnerId, scheduleId: every.id, reason: 'every minute', requestedBy: { sourceName: 'operator' } });
    const consumer = await jetstream(nc).consumers.get(firing.session.stream, firing.session.consumer);
    const msg = await consumer.next({ expires: 5000 });
    msg?.ack();
    const payload = verifyCommand(msg?.json<unknown>(), firing.session.signingPublicKey, { tenantId: 'acme', runnerId: firing.runnerId });
    expect(payload).toMatchObject({ commandId: afterFirst.lastCommandId, runId, blockFrom: 'registry/backup', blockVersion: '1.2.0', correlationId: 'sched-pipe' });

    const entry = await eventually(async () => {
      const res = await q<Record<string, unknown>[]>('GET', `/v1/audit?action=Retrigger&entity_id=${runId}&success=true`);
      return res.body[0];
    });
    expect(entry).toMatchObject({ sourceName: 'operator', success: true, correlationId: 'sched-pipe', context: { schedule_id: every.id, command_id: afterFirst.lastCommandId } });

    const unserved = await eventually(async () => ((await schedule(firing.unserved.id)).lastError ? schedule(firing.unserved.id) : undefined), 15_000);
    expect(unserved).toMatchObject({ lastCommandId: null, lastError: 'no runner of tenant acme serves workspace acme-unserved; register one with POST /v1/runners' });
    const failedEntry = await eventually(async () => (await q<Record<string, unknown>[]>('GET', `/v1/audit?action=Retrigger&entity_id=${unserved.runId}&success=false`)).body[0]);
    expect(failedEntry).toMatchObject({ sourceName: 'operator', context: { schedule_id: unserved.id, reason: 'nobody serves it' } });
    const revoked = await eventually(async () => ((await schedule(firing.revoked.id)).lastError ? schedule(firing.revoked.id) : undefined), 15_000);
    expect(revoked.lastError).toBe('the key that created the schedule was revoked or has expired');
    for (const s of [unserved, revoked]) await q('POST', `/v1/schedules/${s.id}/pause`);
  }, 90_000);

  it('fires a fire time missed while no replica ran once, when three replicas come back together; one command per fire time', async () => {
    const { every, runId } = firing;
    const missed = (await schedule(every.id)).nextFireAt as string;
    await Promise.all(replicas().map((r) => r.stop()));
    // The one wait on the clock: the fire time has to pass while nothing runs.
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(missed) - Date.now()) + 1500));
    replicas().forEach((r) => r.start());
    await Promise.all(replicas().map((r) => r.waitReady(60_000)));

    const after = await eventually(async () => {
      const s = await schedule(every.id);
      return s.lastFiredAt && s.lastFiredAt > missed ? s : undefined;
    }, 30_000, 'the missed firing');
    expect(Date.parse(after.nextFireAt as string)).toBeGreaterThan(Date.parse(after.lastFiredAt as string));

    const commands = await eventually(async () => {
      const res = await q<{ id: string; scheduleId: string | null }[]>('GET', `/v1/commands?run_id=${runId}`);
      return res.body.length >= 2 ? res.body : undefined;
    });
    expect(commands.every((c) => c.scheduleId === every.id)).toBe(true);
    expect(new Set(commands.map((c) => c.id)).size).toBe(2);
    const retriggers = await eventually(async () => {
      const res = await q<{ context: Record<string, string> }[]>('GET', `/v1/audit?action=Retrigger&entity_id=${runId}&success=true`);
      return res.body.length >= 2 ? res.body : undefined;
    });
    expect(retriggers.map((e) => e.context.command_id).sort()).toEqual(commands.map((c) => c.id).sort());
  }, 120_000);
});
