import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { publishPastFacts } from '@runtrail/fixtures';
import { ServiceProcess } from '@runtrail/launcher';
import {
  auditEvent,
  eventually,
  freePort,
  projectorCommand,
  request,
  startTestStack,
  startWebhookReceiver,
  type RecordingReceiver,
  type TestStack,
} from '@runtrail/testing';
import { runtrailVerify } from '../integrity/runtrail-verify';
import type { RetentionView } from './retention-view';

interface Verification {
  ok: boolean;
  entries: number;
  firstProblem: unknown;
  removed: { upToIndex: number } | null;
}

const DAY = 86_400_000;
const SECRET = 'whsec-0123456789abcdef';
// A rebuild and a second replica's start: minutes on a busy machine, not jest's default 30 s.
jest.setTimeout(180_000);

const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

function report(id: string, status: 'running' | 'successful', startedAt: string): Record<string, unknown> {
  return {
    id,
    workspace: { name: 'infra' },
    block: { name: 'k8s', from: 'registry/k8s:1.2.0' },
    action: 'deploy',
    status,
    startedAt,
    ...(status === 'running' ? {} : { finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(), exitCode: 0 }),
    hostname: 'build-7.example.net',
    osUser: 'ci',
  };
}

/**
 * Retention and legal hold (CONTRACT §8, docs/retention.md) through the running services:
 * facts received 40 and 20 days ago (published onto the stream as the gateway stores them,
 * since the gateway stamps every request now) and fresh ones; the policy removes exactly the
 * prefix of the log it lets go from the tables and the stream, the log and every checkpoint
 * signed before stay valid, legal hold stops it, a stream says what it missed, and a rebuild
 * carries the removed prefix.
 */
describe('retention', () => {
  let t: TestStack;
  let admin: string;
  let reader: string;
  let globexAdmin: string;
  let seqs: number[];
  let hook: RecordingReceiver;
  let streamId: string;
  let saved: { size: number; note: string };
  const replicas: ServiceProcess[] = [];

  const old = Array.from({ length: 500 }, (_, i) => auditEvent({ entityId: `old-${i}` }));
  const older = Array.from({ length: 300 }, (_, i) => auditEvent({ entityId: `older-${i}` }));
  const globexOld = Array.from({ length: 50 }, (_, i) => auditEvent({ entityId: `globex-${i}` }));
  const finishedRun = randomUUID();
  const spanningRun = randomUUID();
  const fresh = Array.from({ length: 200 }, (_, i) => auditEvent({ entityId: `fresh-${i}` }));

  const q = <T = unknown>(method: string, path: string, body?: unknown, key = admin) => request<T>(method, `${t.queryUrl}${path}`, { key, body });
  const setPolicy = (body: Record<string, unknown>, key = admin) => q<RetentionView & { message?: string[] }>('PUT', '/v1/retention', body, key);
  const apply = (body: Record<string, unknown> = {}, key = admin) => q<{ removed: number; upTo: string | null }>('POST', '/v1/retention/apply', body, key);
  const verify = async () => (await q<Verification>('GET', '/v1/integrity/verify', undefined, reader)).body;
  const eventIds = async (tenant: string) => new Set((await t.query<{ id: string }>(`SELECT event_id::text AS id FROM audit_events WHERE tenant_id = $1`, [tenant])).map((r) => r.id));
  const logSize = async () => Number((await t.query<{ size: string }>(`SELECT size FROM integrity_logs WHERE tenant_id = 'acme'`))[0]?.size ?? 0);
  const leaves = async () => (await t.query<{ leaf: string }>(`SELECT encode(leaf_hash, 'hex') AS leaf FROM integrity_entries WHERE tenant_id = 'acme' ORDER BY idx`)).map((r) => r.leaf);
  const runIds = async () => (await t.query<{ id: string }>(`SELECT id::text FROM action_runs WHERE tenant_id = 'acme' ORDER BY id`)).map((r) => r.id);
  const reportsOf = async (runId: string) => Number((await t.query<{ n: string }>(`SELECT count(*) AS n FROM action_run_reports WHERE run_id = $1`, [runId]))[0].n);

  /** The stream sequences among `wanted` whose message is still in the event stream. */
  async function inStream(wanted: number[]): Promise<number[]> {
    const nc = await connect({ servers: t.env.NATS_URL as string });
    try {
      const jsm = await jetstreamManager(nc);
      const kept: number[] = [];
      for (const seq of wanted) if (await jsm.streams.getMessage(`${t.namespace}-events`, { seq }).catch(() => undefined)) kept.push(seq);
      return kept;
    } finally {
      await nc.close();
    }
  }

  async function latestCheckpoint(): Promise<{ size: number; note: string }> {
    const res = await request<{ size: number; note: string }>('GET', `${t.queryUrl}/v1/integrity/checkpoint`, { key: reader, headers: { accept: 'application/json' } });
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestStack('e2eretain', { CHECKPOINT_INTERVAL_SECONDS: '1', STREAM_MAX_BACKOFF_SECONDS: '1', STREAM_TARGET_ALLOW: '127.0.0.1/32' });
    // Before any key exists, so these are the first entries of each log.
    seqs = await publishPastFacts(t.env.NATS_URL as string, t.namespace, [
      { tenantId: 'acme', kind: 'audit', receivedAt: daysAgo(40), events: old },
      { tenantId: 'acme', kind: 'run', receivedAt: daysAgo(40), events: [report(finishedRun, 'running', daysAgo(40)), report(finishedRun, 'successful', daysAgo(40))] },
      { tenantId: 'globex', kind: 'audit', receivedAt: daysAgo(40), events: globexOld },
      { tenantId: 'acme', kind: 'audit', receivedAt: daysAgo(20), events: older },
      { tenantId: 'acme', kind: 'run', receivedAt: daysAgo(20), events: [report(spanningRun, 'running', daysAgo(20))] },
    ]);
    await eventually(async () => ((await logSize()) === 803 ? true : undefined), 60_000, 'the past facts logged');
    admin = await t.createKey('acme', ['admin', 'audit:read', 'events:write'], 'compliance', 'User');
    reader = await t.createKey('acme', ['audit:read', 'events:write'], 'auditor');
    globexAdmin = await t.createKey('globex', ['admin', 'audit:read'], 'globex-compliance');
    // The run started 20 days ago ends now; fresh events follow.
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: reader, body: report(spanningRun, 'successful', daysAgo(20)) })).status).toBe(202);
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: reader, body: fresh })).status).toBe(202);

    // A stream from the beginning whose receiver is down: it delivers nothing before the removal.
    hook = await startWebhookReceiver(SECRET);
    hook.fail({ status: 503 });
    const created = await q<{ id: string }>('POST', '/v1/streams', { name: 'siem', kind: 'webhook', url: hook.url, secret: SECRET, from: 'beginning' });
    expect(created.status).toBe(201);
    streamId = created.body.id;
    await eventually(async () => ((await eventIds('acme')).has(fresh[199].eventId as string) ? true : undefined), 60_000, 'the fresh events projected');
    // What an auditor saved before any removal: a checkpoint over every entry.
    const size = await logSize();
    saved = await eventually(async () => {
      const c = await latestCheckpoint();
      return c?.size === size ? c : undefined;
    }, 30_000, 'a checkpoint over every entry');
  });

  afterAll(async () => {
    for (const r of replicas) await r.stop();
    await hook?.stop();
    await t?.stop();
  });

  it('keeps everything until a policy is set, and refuses bad policies and other callers', async () => {
    expect((await q<RetentionView>('GET', '/v1/retention')).body).toEqual({ tenantId: 'acme', days: 0, legalHold: false, updatedAt: null, removed: null });
    expect(await apply()).toMatchObject({ status: 202, body: { removed: 0, upTo: null } });
    // A body-less POST is a request for the caller's tenant.
    expect(await request('POST', `${t.queryUrl}/v1/retention/apply`, { key: admin })).toMatchObject({ status: 202, body: { removed: 0, upTo: null } });
    for (const bad of [{ days: -1 }, { days: 36_501 }, { days: 1.5 }, { days: '30' }, { legalHold: 'yes' }, { days: 30, extra: 1 }]) {
      expect((await setPolicy(bad)).status).toBe(400);
    }
    const both = await setPolicy({ days: -1, legalHold: 'no' });
    expect(both.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^days/), expect.stringMatching(/^legalHold/)]));
    expect((await setPolicy({ days: 30 }, reader)).status).toBe(403);
    expect((await apply({}, reader)).status).toBe(403);
    expect((await setPolicy({ days: 30, tenantId: 'globex' })).status).toBe(403);
    expect((await setPolicy({ days: 30 }, t.adminKey)).status).toBe(400);
    // The root key names the tenant in the body or the query.
    expect((await q<RetentionView>('PUT', '/v1/retention?tenantId=globex', { legalHold: false }, t.adminKey)).body).toMatchObject({ tenantId: 'globex', days: 0 });
    expect((await q('POST', '/v1/retention/apply?tenantId=globex', {}, t.adminKey)).body).toEqual({ removed: 0, upTo: null });
    expect((await q('GET', '/v1/retention?tenantId=globex', undefined, t.adminKey)).body).toMatchObject({ tenantId: 'globex', days: 0 });
  });

  it('removes exactly the entries received before the cutoff from the tables and the stream; the log and the checkpoints signed before stay valid', async () => {
    const before = await eventIds('acme');
    const globexBefore = await eventIds('globex');
    const leavesBefore = await leaves();
    const [runEntry] = await t.query<{ id: string }>(`SELECT event_id::text AS id FROM audit_events WHERE tenant_id = 'acme' AND action = 'Run' AND entity_id = $1`, [finishedRun]);
    expect((await setPolicy({ days: 30 })).body).toMatchObject({ tenantId: 'acme', days: 30, legalHold: false, removed: null });
    const res = await apply();
    expect(res.status).toBe(202);
    // The 500 events and both reports of the run received 40 days ago.
    expect(res.body.removed).toBe(502);
    expect(Math.abs(Date.parse(res.body.upTo as string) - (Date.now() - 30 * DAY))).toBeLessThan(60_000);

    // The tables: exactly those entries' rows (the events, the run, its reports and its timeline entry) are gone.
    const after = await eventIds('acme');
    const gone = [...before].filter((id) => !after.has(id));
    expect(gone.sort()).toEqual([...old.map((e) => e.eventId as string), runEntry.id].sort());
    expect(await runIds()).toEqual([spanningRun]);
    expect(await reportsOf(finishedRun)).toBe(0);
    expect((await q('GET', `/v1/action-runs/${finishedRun}`, undefined, reader)).status).toBe(404);
    expect((await q<{ id: string }>('GET', `/v1/action-runs/${spanningRun}`, undefined, reader)).body).toMatchObject({ id: spanningRun, status: 'successful' });
    expect(await eventIds('globex')).toEqual(globexBefore);
    // The stream: the tenant's two messages received 40 days ago are purged; the other tenant's and the later ones stay.
    expect(await inStream(seqs)).toEqual(seqs.slice(2));

    // The log keeps every leaf hash; verification starts after the removed range and holds.
    expect((await leaves()).slice(0, leavesBefore.length)).toEqual(leavesBefore);
    expect(await verify()).toMatchObject({ ok: true, firstProblem: null, removed: { upToIndex: 502 } });
    expect((await q<RetentionView>('GET', '/v1/retention')).body.removed).toMatchObject({ upToIndex: 502, upTo: res.body.upTo });

    // The export starts after it with the prefix, and `runtrail verify` accepts it against the checkpoint saved before.
    const exported = (await q<string>('GET', '/v1/integrity/export', undefined, reader)).text;
    const lines = exported.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[1]).toMatchObject({ type: 'prefix', size: 502 });
    expect(lines[2]).toMatchObject({ type: 'entry', index: 502 });
    expect(lines.filter((l) => l.type === 'checkpoint').map((l) => l.note)).toContain(saved.note);
    const dir = await mkdtemp(join(tmpdir(), 'rt-retain-'));
    try {
      const vkey = (await q<{ verifierKey: string }>('GET', '/v1/integrity/public-key', undefined, reader)).body.verifierKey;
      await writeFile(join(dir, 'log.ndjson'), exported);
      await writeFile(join(dir, 'saved.note'), saved.note);
      const offline = await runtrailVerify(['--public-key', vkey, join(dir, 'log.ndjson'), '--checkpoint', join(dir, 'saved.note')]);
      expect(offline).toMatchObject({ code: 0 });
      // With an entry of what remains changed, it fails: the file is checked, not trusted.
      const edit = (bytes: string) => Buffer.from(Buffer.from(bytes, 'base64').toString('utf8').replace('"Update"', '"Delete"')).toString('base64');
      const tampered = `${lines.map((l) => JSON.stringify(l.type === 'entry' && l.index === 600 ? { ...l, bytes: edit(l.bytes as string) } : l)).join('\n')}\n`;
      expect(tampered).not.toBe(exported);
      await writeFile(join(dir, 'tampered.ndjson'), tampered);
      expect(await runtrailVerify(['--public-key', vkey, join(dir, 'tampered.ndjson'), '--checkpoint', join(dir, 'saved.note')])).toMatchObject({ code: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // The stream that had delivered nothing goes on from the next entry and says what it missed: the 500 events and the run's entry.
    hook.recover();
    const stream = await eventually(async () => {
      const s = (await q<{ id: string; lastError: string | null; lagEntries: number }[]>('GET', '/v1/streams')).body.find((x) => x.id === streamId);
      return s && s.lagEntries === 0 && s.lastError?.startsWith('missed') ? s : undefined;
    }, 60_000, 'the stream delivered what remains');
    expect(stream.lastError).toMatch(/^missed 501 entries that retention removed before delivery/);
    const arrived = new Set(hook.distinctEventIds());
    expect(old.filter((e) => arrived.has(e.eventId as string))).toEqual([]);
    expect([...older, ...fresh].every((e) => arrived.has(e.eventId as string))).toBe(true);
  });

  it('does nothing under legal hold, and removes what is due once the hold is lifted, never half a run', async () => {
    expect((await setPolicy({ days: 10, legalHold: true })).body).toMatchObject({ days: 10, legalHold: true });
    expect(await apply()).toMatchObject({ status: 202, body: { removed: 0, upTo: null } });
    const before = await eventIds('acme');
    expect(older.every((e) => before.has(e.eventId as string))).toBe(true);

    expect((await setPolicy({ legalHold: false })).body).toMatchObject({ days: 10, legalHold: false });
    const res = await apply();
    // The 300 events of 20 days ago; the run started then stays whole, as its end arrived now.
    expect(res).toMatchObject({ status: 202, body: { removed: 300 } });
    const after = await eventIds('acme');
    expect([...before].filter((id) => !after.has(id)).sort()).toEqual(older.map((e) => e.eventId as string).sort());
    expect(await reportsOf(spanningRun)).toBe(2);
    expect(await verify()).toMatchObject({ ok: true, removed: { upToIndex: 802 } });

    // Every change of the policy and every removal is in the timeline, by the key that made it.
    const timeline = (await q<{ action: string; sourceName: string; context: Record<string, string> }[]>('GET', '/v1/audit?entity_type=Retention&limit=20', undefined, reader)).body;
    expect(timeline.map((e) => [e.action, e.sourceName, e.context.days ?? e.context.removed]).reverse()).toEqual([
      ['Update', 'compliance', '30'],
      ['Delete', 'compliance', '502'],
      ['Update', 'compliance', '10'],
      ['Update', 'compliance', '10'],
      ['Delete', 'compliance', '300'],
    ]);
    expect(timeline[0].context).toMatchObject({ upTo: res.body.upTo, upToIndex: '802' });
    const missed = (await q<{ action: string; entityId: string; context: Record<string, string> }[]>('GET', '/v1/audit?entity_type=Stream&limit=20', undefined, reader)).body;
    expect(missed.filter((e) => e.action === 'Update').map((e) => [e.entityId, e.context.missed])).toEqual(expect.arrayContaining([[streamId, '501']]));
  });

  it('verifies a log that grows meanwhile: rows committed after the stretch was read belong to the next one, not inserted ones', async () => {
    const writes = (async () => {
      for (let i = 0; i < 30; i++) {
        expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: reader, body: Array.from({ length: 20 }, (_, j) => auditEvent({ entityId: `growing-${i}-${j}` })) })).status).toBe(202);
      }
    })();
    const answers: Verification[] = [];
    for (let i = 0; i < 8; i++) answers.push(await verify());
    await writes;
    expect(answers.filter((a) => !a.ok)).toEqual([]);
  });

  it('keeps the removed prefix through a rebuild of the tables', async () => {
    const leavesBefore = await leaves();
    const rowsBefore = await eventIds('acme');
    const rebuilt = await projectorCommand(t, 'rebuild');
    expect(rebuilt).toMatchObject({ code: 0 });
    expect(await leaves()).toEqual(leavesBefore);
    expect(await eventIds('acme')).toEqual(rowsBefore);
    expect(await verify()).toMatchObject({ ok: true, firstProblem: null, removed: { upToIndex: 802 } });
    // The removed events are still known: one re-sent is a duplicate, stored neither as a row nor as an entry.
    const size = await logSize();
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: reader, body: [old[0], auditEvent({ entityId: 'marker' })] })).status).toBe(202);
    await eventually(async () => ((await logSize()) === size + 1 ? true : undefined), 30_000, 'the marker logged');
    expect((await eventIds('acme')).has(old[0].eventId as string)).toBe(false);
  });

  it('removes on schedule every RETENTION_INTERVAL_SECONDS, acting as whoever set the policy', async () => {
    expect((await setPolicy({ days: 30 }, globexAdmin)).status).toBe(200);
    const replica = new ServiceProcess({ name: 'query', port: await freePort(), env: { ...t.env, RETENTION_INTERVAL_SECONDS: '1' }, output: 'collect' });
    replicas.push(replica);
    replica.start();
    await replica.waitReady(60_000);
    const left = await eventually(async () => {
      const ids = await eventIds('globex');
      return globexOld.some((e) => ids.has(e.eventId as string)) ? undefined : ids;
    }, 30_000, "globex's old events removed on schedule");
    // Its key's and its policy's entries stay.
    expect(left.size).toBeGreaterThanOrEqual(2);
    const entries = await eventually(async () => {
      const page = (await q<{ action: string; sourceName: string; context: Record<string, string> }[]>('GET', '/v1/audit?entity_type=Retention', undefined, globexAdmin)).body;
      return page.some((e) => e.action === 'Delete') ? page : undefined;
    }, 30_000, 'the removal in the timeline');
    expect(entries.find((e) => e.action === 'Delete')).toMatchObject({ sourceName: 'globex-compliance', context: { removed: '50' } });
  });
});
