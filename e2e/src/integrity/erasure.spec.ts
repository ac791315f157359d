import { parseEventSubject } from '@runtrail/contracts';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kvm } from '@nats-io/kv';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ServiceProcess, freePort } from '@runtrail/launcher';
import { verifyInclusion } from '@runtrail/merkle';
import { NATS_URL, auditEvent, databaseUrl, dropDatabase, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';
import { Client } from 'pg';
import { runtrailVerify, type CliAnswer } from './runtrail-verify';

/** CONTRACT §6 erasure, through the running services: gone from every answer, row, message and rebuild; the log unchanged. */
describe('POST /v1/erasure', () => {
  let t: TestStack;
  let admin: string;
  let reader: string;
  let other: string;
  // A value that occurs nowhere else: no id, hash or base64 of anything else can contain it.
  const VALUE = `Alice Ärger ${randomUUID()}`;
  const runId = randomUUID();

  const ingest = (path: string, key: string, body: unknown) => request('POST', `${t.ingestUrl}${path}`, { key, body });
  const get = <T>(path: string, key = reader) => request<T>('GET', `${t.queryUrl}${path}`, { key });
  const erase = (body: unknown, key = admin) => request<{ erasureId: string; fields: number; entries: number; message?: string[] }>('POST', `${t.queryUrl}/v1/erasure`, { key, body });

  /** Every row of every table of a database that is not another tenant's, as text. */
  async function databaseText(url: string): Promise<string> {
    const db = new Client({ connectionString: url });
    await db.connect();
    try {
      const tables = (
        await db.query<{ name: string; tenant: boolean }>(
          `SELECT t.table_name AS name, EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_name = t.table_name AND c.column_name = 'tenant_id') AS tenant
           FROM information_schema.tables t WHERE t.table_schema = 'public'`,
        )
      ).rows;
      let text = '';
      for (const { name, tenant } of tables) {
        text += (await db.query<{ t: string | null }>(`SELECT string_agg(x::text, '') AS t FROM "${name}" x ${tenant ? `WHERE tenant_id = 'acme'` : ''}`)).rows[0]?.t ?? '';
      }
      return text;
    } finally {
      await db.end();
    }
  }

  /** Every message of the tenant's subjects in the event stream, and every vault entry, as text. */
  async function natsText(): Promise<{ stream: string; vault: string; messages: number }> {
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      const stream = `${t.namespace}-events`;
      const last = (await jsm.streams.info(stream)).state.last_seq;
      let text = '';
      let messages = 0;
      for (let seq = 1; seq <= last; seq++) {
        const m = await jsm.streams.getMessage(stream, { seq });
        if (m && parseEventSubject(t.namespace, m.subject)?.tenantId === 'acme') {
          text += Buffer.from(m.data).toString('utf8');
          messages++;
        }
      }
      const kv = await new Kvm(nc).open(`${t.namespace}-personal`);
      let vault = '';
      for await (const key of await kv.keys('acme.>')) vault += (await kv.get(key))?.string() ?? '';
      return { stream: text, vault, messages };
    } finally {
      await nc.close();
    }
  }

  async function latestSize(): Promise<number> {
    const res = await request<{ size: number }>('GET', `${t.queryUrl}/v1/integrity/checkpoint`, { key: reader, headers: { accept: 'application/json' } });
    return res.status === 200 ? res.body.size : 0;
  }

  /** Exports the log and checks it with `runtrail verify`, given a checkpoint saved earlier. */
  async function cliVerify(saved: string): Promise<CliAnswer> {
    const dir = await mkdtemp(join(tmpdir(), 'rt-erase-'));
    try {
      const exported = await get<string>('/v1/integrity/export');
      expect(exported.text).not.toContain(VALUE);
      const vkey = (await get<{ verifierKey: string }>('/v1/integrity/public-key')).body.verifierKey;
      await writeFile(join(dir, 'log.ndjson'), exported.text);
      await writeFile(join(dir, 'saved.note'), saved);
      return await runtrailVerify(['--public-key', vkey, join(dir, 'log.ndjson'), '--checkpoint', join(dir, 'saved.note')]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const leaves = async (query: TestStack['query']) =>
    (await query<{ leaf: string }>(`SELECT encode(leaf_hash, 'hex') AS leaf FROM integrity_entries WHERE tenant_id = 'acme' ORDER BY idx`)).map((r) => r.leaf);

  beforeAll(async () => {
    t = await startTestStack('e2eerase', { CHECKPOINT_INTERVAL_SECONDS: '1' });
    admin = await t.createKey('acme', ['admin', 'audit:read'], 'privacy-officer');
    reader = await t.createKey('acme', ['events:write', 'audit:read'], 'ci');
    other = await t.createKey('globex', ['events:write', 'audit:read', 'admin'], 'ci');
    const events = [
      auditEvent({ entityName: VALUE, sourceName: VALUE, context: { user_agent: VALUE, ip_address: '203.0.113.7' } }),
      auditEvent({ changes: { owner: { before: 'bob', after: { name: VALUE, teams: ['a'] } }, email: { after: 'kept@example.com' } } }),
      auditEvent({ entityName: 'nobody', sourceName: 'someone else' }),
    ];
    expect((await ingest('/v1/audit-events', reader, events)).status).toBe(202);
    const run = {
      id: runId,
      workspace: { name: 'infra' },
      block: { name: 'k8s', from: 'registry/k8s:1.2.0' },
      action: 'deploy',
      status: 'failed',
      startedAt: '2026-11-30T09:00:00.000Z',
      finishedAt: '2026-11-30T09:01:00.000Z',
      exitCode: 2,
      hostname: 'build-7.example.net',
      osUser: VALUE,
    };
    expect((await ingest('/v1/action-runs', reader, run)).status).toBe(202);
    // The same value in another tenant stays: an erasure is the tenant's own.
    expect((await ingest('/v1/audit-events', other, auditEvent({ entityName: VALUE }))).status).toBe(202);
    await eventually(async () => ((await get<unknown[]>('/v1/audit?limit=10')).body.length >= 4 ? true : undefined), 20_000, 'events projected');
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('never puts the value in the stream, only its digest, and keeps it in the vault until erased', async () => {
    const before = await natsText();
    expect(before.messages).toBeGreaterThan(0);
    expect(before.stream).not.toContain(VALUE);
    expect(before.stream).toContain('hmac-sha256:');
    expect(before.vault).toContain(VALUE);
    expect(JSON.stringify((await get('/v1/audit?limit=10')).body)).toContain(VALUE);
  });

  it('refuses bad input and keys without admin, and the root key without a tenant', async () => {
    expect((await erase({ value: '', reason: 'x' })).status).toBe(400);
    expect((await erase({ value: 'x' })).status).toBe(400);
    expect((await erase({ value: 'x'.repeat(1025), reason: 'x' })).status).toBe(400);
    expect((await erase({ value: VALUE, reason: 'x', extra: 1 })).status).toBe(400);
    expect((await erase({ value: VALUE, reason: 'x' }, reader)).status).toBe(403);
    expect((await erase({ value: VALUE, reason: 'x', tenantId: 'globex' })).status).toBe(403);
    expect((await erase({ value: VALUE, reason: 'x' }, t.adminKey)).status).toBe(400);
  });

  it('erases the value from every answer, row, message, vault entry and rebuild, leaves the log as it was, and records the act without the value', async () => {
    const logBefore = await leaves(t.query);
    // What an auditor saved before: a checkpoint over every entry, and the proof of an entry that holds the value.
    const checkpoint = await eventually(async () => {
      const res = await request<{ size: number; rootHash: string; note: string }>('GET', `${t.queryUrl}/v1/integrity/checkpoint`, { key: reader, headers: { accept: 'application/json' } });
      return res.status === 200 && res.body.size === logBefore.length ? res.body : undefined;
    }, 30_000, 'a checkpoint of every entry');
    const holder = (await get<{ eventId: string; entityName: string }[]>('/v1/audit?limit=10')).body.find((r) => r.entityName === VALUE) as { eventId: string };
    const proofBefore = await get<{ index: number; leafHash: string; hashes: string[] }>(`/v1/integrity/proof?entry_id=${holder.eventId}&size=${checkpoint.size}`);
    expect(proofBefore.status).toBe(200);
    const res = await erase({ value: VALUE, reason: 'GDPR Art. 17 request #4711' });
    expect(res.status).toBe(202);
    // entityName, sourceName, context.user_agent; the changes value holding it; the report's osUser.
    expect(res.body).toEqual({ erasureId: expect.any(String) as unknown, fields: 5, entries: 3 });

    const audit = await eventually(async () => {
      const page = await get<Record<string, unknown>[]>('/v1/audit?limit=20');
      return page.body.some((r) => r.action === 'Erase') && !JSON.stringify(page.body).includes(VALUE) ? page.body : undefined;
    }, 30_000, 'the value gone from /v1/audit');
    expect(audit.filter((r) => r.entityName === '[erased]')).toHaveLength(1);
    expect(audit.find((r) => r.entityName === '[erased]')).toMatchObject({ sourceName: '[erased]', context: { user_agent: '[erased]', ip_address: '203.0.113.7' } });
    expect(audit.find((r) => (r.changes as Record<string, unknown> | null)?.owner)).toMatchObject({ changes: { owner: { before: 'bob', after: '[erased]' }, email: { after: 'kept@example.com' } } });
    const act = audit.find((r) => r.action === 'Erase');
    expect(act).toMatchObject({ entityType: 'PersonalData', entityId: res.body.erasureId, context: { reason: 'GDPR Art. 17 request #4711', fields: '5', entries: '3' } });
    const runs = await eventually(async () => {
      const page = await get<Record<string, unknown>[]>(`/v1/action-runs?limit=10`);
      return JSON.stringify(page.body).includes(VALUE) ? undefined : page.body;
    }, 30_000, 'the value gone from /v1/action-runs');
    expect(runs[0]).toMatchObject({ id: runId, osUser: '[erased]', hostname: 'build-7.example.net' });
    expect(JSON.stringify((await get(`/v1/action-runs/${runId}`)).body)).not.toContain(VALUE);
    expect((await get('/v1/audit?format=csv')).text).not.toContain(VALUE);

    // Not in any Postgres row, any message of the tenant's subjects, or the vault.
    await eventually(async () => (!(await databaseText(databaseUrl(t.database))).includes(VALUE) ? true : undefined), 30_000, 'the value gone from Postgres');
    const after = await natsText();
    expect(after.stream).not.toContain(VALUE);
    expect(after.vault).not.toContain(VALUE);
    // The other tenant keeps its own.
    expect(JSON.stringify((await get('/v1/audit?limit=5', other)).body)).toContain(VALUE);

    // Every entry that existed keeps its leaf; the act is one more entry.
    const logAfter = await leaves(t.query);
    expect(logAfter.slice(0, logBefore.length)).toEqual(logBefore);
    expect(logAfter.length).toBe(logBefore.length + 1);
    // The proof saved before still verifies against the checkpoint saved before, and the service gives the same one.
    const root = Buffer.from(checkpoint.rootHash, 'base64');
    const b = (h: string) => Buffer.from(h, 'base64');
    expect(verifyInclusion(b(proofBefore.body.leafHash), proofBefore.body.index, checkpoint.size, proofBefore.body.hashes.map(b), root)).toBe(true);
    expect((await get(`/v1/integrity/proof?entry_id=${holder.eventId}&size=${checkpoint.size}`)).body).toEqual(proofBefore.body);
    // The whole log verifies, on the server and offline against the checkpoint saved before.
    await eventually(async () => ((await latestSize()) === logAfter.length ? true : undefined), 30_000, 'a checkpoint after the erasure');
    expect((await get('/v1/integrity/verify')).body).toMatchObject({ ok: true, firstProblem: null, entries: logAfter.length });
    const offline = await cliVerify(checkpoint.note);
    expect(offline).toMatchObject({ code: 0 });
    expect(`${offline.stdout}${offline.stderr}`).not.toContain(VALUE);

    // A projector building a fresh database from the stream cannot bring it back, and builds the same log.
    const fresh = `${t.database}_rebuild`;
    const projector = new ServiceProcess({
      name: 'projector',
      port: await freePort(),
      env: { ...t.env, DATABASE_URL: databaseUrl(fresh), PROJECTOR_CONSUMER: `${t.namespace}-rebuild` },
      output: 'collect',
    });
    try {
      projector.start();
      await projector.waitReady(60_000);
      const db = new Client({ connectionString: databaseUrl(fresh) });
      await db.connect();
      try {
        const query = async <R>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows as R[];
        await eventually(async () => ((await leaves(query)).length === logAfter.length ? true : undefined), 60_000, 'the rebuild caught up');
        expect(await leaves(query)).toEqual(logAfter);
        expect(await query(`SELECT entity_name, source_name FROM audit_events WHERE tenant_id = 'acme' AND entity_name = '[erased]'`)).toEqual([{ entity_name: '[erased]', source_name: '[erased]' }]);
      } finally {
        await db.end();
      }
      expect(await databaseText(databaseUrl(fresh))).not.toContain(VALUE);
    } finally {
      await projector.stop();
      await dropDatabase(fresh);
    }
  }, 180_000);
});
