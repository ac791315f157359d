import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointText, signNote, verifyConsistency } from '@runtrail/merkle';
import { auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';
import fc from 'fast-check';
import { GO_BUILD_TIMEOUT_MS, GoTlog } from './go-tlog';
import { runtrailVerify, type CliAnswer } from './runtrail-verify';

/**
 * Tampering done directly in Postgres, as a database administrator could, and by the
 * operator who holds the signing key; GET /v1/integrity/verify and `runtrail verify` (on
 * the export) must each find it and name its first index and kind (CONTRACT §6).
 */

/** The tables a tampering touches, restored from a copy after each case. */
const TABLES = ['audit_events', 'action_runs', 'action_run_reports', 'integrity_entries', 'integrity_nodes', 'integrity_checkpoints'];

interface Problem {
  index: number;
  entryId: string | null;
  kind: string;
}

interface Entry {
  index: number;
  entryId: string;
  kind: string;
  ref: string;
}

describe('tampering with the log, found by GET /v1/integrity/verify and runtrail verify', () => {
  let t: TestStack;
  let key: string;
  let dir: string;
  let go: GoTlog;
  const seed = randomBytes(32);
  const signingKey = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
  const origin = 'runtrail/local/acme';
  let entries: Entry[];
  /** Each entry's row position (audit_events.id or action_run_reports.position), by index. */
  let positions: string[];
  let size: number;
  let verifierKey: string;

  const get = <T>(path: string) => request<T>('GET', `${t.queryUrl}${path}`, { key });
  const verify = async (): Promise<{ ok: boolean; firstProblem: Problem | null }> => {
    const res = await get<{ ok: boolean; firstProblem: Problem | null }>('/v1/integrity/verify');
    expect(res.status).toBe(200);
    return res.body;
  };

  /** Exports the log and runs `runtrail verify` on it: its exit code and what it wrote to stderr. */
  async function cli(saved?: string): Promise<CliAnswer> {
    const res = await get<string>('/v1/integrity/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const file = join(dir, `${randomUUID()}.ndjson`);
    await writeFile(file, res.text);
    const args = ['--public-key', verifierKey, file];
    if (saved !== undefined) {
      const note = join(dir, `${randomUUID()}.note`);
      await writeFile(note, saved);
      args.push('--checkpoint', note);
    }
    return runtrailVerify(args);
  }

  /** Both verifiers find exactly this problem. */
  async function expectFound(expected: Problem): Promise<void> {
    expect((await verify()).firstProblem).toMatchObject(expected);
    const offline = await cli();
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain(`index ${expected.index}, entry ${expected.entryId ?? '-'}, ${expected.kind}`);
  }

  async function restore(): Promise<void> {
    for (const table of TABLES) {
      await t.query(`DELETE FROM ${table} WHERE tenant_id = 'acme'`);
      await t.query(`INSERT INTO ${table} SELECT * FROM bak_${table}`);
    }
  }

  beforeAll(async () => {
    go = await GoTlog.start();
    dir = await mkdtemp(join(tmpdir(), 'rt-tamper-'));
    t = await startTestStack('e2etamper', { CHECKPOINT_INTERVAL_SECONDS: '1', RUNTRAIL_SIGNING_KEY: seed.toString('base64') });
    key = await t.createKey('acme', ['events:write', 'audit:read'], 'auditor');
    const ingest = (path: string, body: unknown) => request('POST', `${t.ingestUrl}${path}`, { key, body });
    // The key's creation (an administrative act) and two events first, signed at size 3: a size that is not a power of two, for the consistency proof below.
    expect((await ingest('/v1/audit-events', [auditEvent({ entityName: 'team-a' }), auditEvent({ action: 'Delete', entityId: 'p-a' })])).status).toBe(202);
    await eventually(async () => ((await latestSize()) === 3 ? true : undefined), 30_000, 'a checkpoint of size 3');
    for (let i = 0; i < 3; i++) {
      expect((await ingest('/v1/audit-events', [auditEvent({ entityName: `team-${i}` }), auditEvent({ action: 'Delete', entityId: `p-${i}` }), auditEvent({ sourceName: `u${i}@example.com` })])).status).toBe(202);
    }
    expect((await ingest('/v1/audit-events', auditEvent({ sourceName: 'last@example.com' }))).status).toBe(202);
    for (const id of [randomUUID(), randomUUID()]) {
      const report = { id, workspace: { name: 'infra' }, block: { name: 'k8s', from: 'registry/k8s:1.2.0' }, action: 'deploy', startedAt: '2026-11-30T09:00:00.000Z', hostname: 'build-1' };
      expect((await ingest('/v1/action-runs', { ...report, status: 'running' })).status).toBe(202);
      expect((await ingest('/v1/action-runs', { ...report, status: 'failed', finishedAt: '2026-11-30T09:01:00.000Z', exitCode: 3 })).status).toBe(202);
    }
    // 12 audit events, 4 reports and the key's creation (an administrative act): 17 entries.
    size = await eventually(async () => {
      const [log] = await t.query<{ size: string }>(`SELECT size::text FROM integrity_logs WHERE tenant_id = 'acme'`);
      return Number(log?.size ?? 0) === 17 ? 17 : undefined;
    }, 30_000, 'every entry in the log');
    await eventually(async () => ((await latestSize()) === size ? true : undefined), 30_000, 'a checkpoint of all entries');
    entries = (await get<Entry[]>('/v1/integrity/entries?limit=100')).body;
    expect(entries).toHaveLength(size);
    positions = (await t.query<{ position: string }>(`SELECT position::text FROM integrity_entries WHERE tenant_id = 'acme' ORDER BY idx`)).map((r) => r.position);
    verifierKey = (await get<{ verifierKey: string }>('/v1/integrity/public-key')).body.verifierKey;
    for (const table of TABLES) await t.query(`CREATE TABLE bak_${table} AS SELECT * FROM ${table} WHERE tenant_id = 'acme'`);
  }, GO_BUILD_TIMEOUT_MS + 120_000);

  async function latestSize(): Promise<number> {
    const res = await request<{ size: number }>('GET', `${t.queryUrl}/v1/integrity/checkpoint`, { key, headers: { accept: 'application/json' } });
    return res.status === 200 ? res.body.size : 0;
  }

  afterEach(restore);

  afterAll(async () => {
    await t?.stop();
    await go?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const auditIndex = (n: number) => entries.filter((e) => e.kind === 'audit-event')[n] as Entry;
  /** The index of the first entry after a row inserted at `position`: where the verifiers name the insertion. */
  const indexAfter = (position: bigint) => {
    const i = positions.findIndex((p) => BigInt(p) > position);
    return i === -1 ? size : i;
  };

  it('finds nothing in the untouched log, on the server and offline', async () => {
    expect(await verify()).toMatchObject({ ok: true, firstProblem: null });
    const offline = await cli();
    expect(offline).toMatchObject({ code: 0 });
    expect(offline.stdout).toContain(`${size} entries`);
  });

  it('finds an edited row (modified)', async () => {
    const e = auditIndex(4);
    await t.query(`UPDATE audit_events SET entity_name = 'mallory' WHERE tenant_id = 'acme' AND id = $1`, [positions[e.index]]);
    await expectFound({ index: e.index, entryId: e.entryId, kind: 'modified' });
  });

  it('finds a deleted row (missing)', async () => {
    const e = auditIndex(2);
    await t.query(`DELETE FROM audit_events WHERE tenant_id = 'acme' AND id = $1`, [positions[e.index]]);
    await expectFound({ index: e.index, entryId: e.entryId, kind: 'missing' });
  });

  it('finds an inserted row (inserted, at the index of the entry after it)', async () => {
    const e = auditIndex(5);
    const forged = randomUUID();
    await t.query(
      `INSERT INTO audit_events SELECT id + 500, tenant_id, $2::uuid, happened_at, 'Delete', version, entity_type, entity_id, entity_name, source_type, source_id, source_name, success, context, received_at, submitted_by, stream_seq, changes, correlation_id
         FROM audit_events WHERE tenant_id = 'acme' AND id = $1`,
      [positions[e.index], forged],
    );
    await expectFound({ index: indexAfter(BigInt(positions[e.index] as string) + 500n), entryId: forged, kind: 'inserted' });
  });

  it('finds two rows swapped (reordered, at the lower index)', async () => {
    const [a, b] = [auditIndex(1), auditIndex(6)];
    await t.query(`UPDATE audit_events SET id = -id WHERE tenant_id = 'acme' AND id = $1`, [positions[a.index]]);
    await t.query(`UPDATE audit_events SET id = $1 WHERE tenant_id = 'acme' AND id = $2`, [positions[a.index], positions[b.index]]);
    await t.query(`UPDATE audit_events SET id = $1 WHERE tenant_id = 'acme' AND id = -$2::bigint`, [positions[b.index], positions[a.index]]);
    await expectFound({ index: a.index, entryId: a.entryId, kind: 'reordered' });
  });

  it("finds a checkpoint's signature replaced (bad-signature, at its size)", async () => {
    const [cp] = await t.query<{ size: string; note: string }>(`SELECT size::text, note FROM integrity_checkpoints WHERE tenant_id = 'acme' ORDER BY size DESC LIMIT 1`);
    const other = generateKeyPairSync('ed25519').privateKey;
    const text = (cp?.note as string).slice(0, (cp?.note as string).indexOf('\n\n') + 1);
    await t.query(`UPDATE integrity_checkpoints SET note = $2 WHERE tenant_id = 'acme' AND size = $1`, [cp?.size, signNote(text, origin, other)]);
    await expectFound({ index: Number(cp?.size), entryId: null, kind: 'bad-signature' });
  });

  it('finds a checkpoint the key holder signed over another history (inconsistent-checkpoint), and a saved one the log does not extend', async () => {
    const [cp] = await t.query<{ size: string }>(`SELECT size::text FROM integrity_checkpoints WHERE tenant_id = 'acme' ORDER BY size DESC LIMIT 1`);
    const forged = signNote(checkpointText(origin, Number(cp?.size), randomBytes(32)), origin, signingKey);
    // The log offered to a customer who saved a checkpoint of another history: runtrail verify refuses it.
    const offline = await cli(forged);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain(`index ${cp?.size}, entry -, inconsistent-checkpoint`);
    await t.query(`UPDATE integrity_checkpoints SET note = $2 WHERE tenant_id = 'acme' AND size = $1`, [cp?.size, forged]);
    await expectFound({ index: Number(cp?.size), entryId: null, kind: 'inconsistent-checkpoint' });
  });

  it("finds a merged run edited apart from its reports (modified, at the run's first report)", async () => {
    const first = entries.find((e) => e.kind === 'action-run-report') as Entry;
    await t.query(`UPDATE action_runs SET exit_code = 0, status = 'successful' WHERE tenant_id = 'acme' AND id = $1`, [first.ref]);
    expect((await verify()).firstProblem).toMatchObject({ index: first.index, entryId: first.entryId, kind: 'modified' });
  });

  it('finds a stored subtree forged so that a consistency proof lies, and the proof fails Go and our checks', async () => {
    const from = 3;
    const roots = new Map((await t.query<{ size: string; root: Buffer }>(`SELECT size::text, root_hash AS root FROM integrity_checkpoints WHERE tenant_id = 'acme'`)).map((r) => [Number(r.size), r.root]));
    // The subtree of leaves [8, 16) is part of every consistency proof to 17 from a size below 8 that is not a power of two.
    await t.query(`UPDATE integrity_nodes SET hash = $1 WHERE tenant_id = 'acme' AND level = 3 AND idx = 1`, [randomBytes(32)]);
    expect(roots.has(from)).toBe(true);
    const proof = await get<{ hashes: string[] }>(`/v1/integrity/consistency?from=${from}&to=${size}`);
    expect(proof.status).toBe(200);
    const hashes = proof.body.hashes.map((h) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(from, size, roots.get(from) as Buffer, roots.get(size) as Buffer, hashes)).toBe(false);
    expect(await go.checkTree({ from, to: size, hashes, fromRoot: roots.get(from) as Buffer, toRoot: roots.get(size) as Buffer })).toMatchObject({ valid: false });
    expect((await verify()).firstProblem).toMatchObject({ index: 16, entryId: null, kind: 'inconsistent-checkpoint' });
  });

  it('never misses one random tampering of a random entry (property)', async () => {
    const kinds = ['modified', 'missing', 'inserted', 'reordered'] as const;
    const audits = entries.filter((e) => e.kind === 'audit-event');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), fc.nat(audits.length - 2), async (kind, n) => {
        await restore();
        const e = audits[n] as Entry;
        const p = positions[e.index];
        let expected: Problem;
        if (kind === 'modified') {
          await t.query(`UPDATE audit_events SET context = context || '{"x":"y"}' WHERE tenant_id = 'acme' AND id = $1`, [p]);
          expected = { index: e.index, entryId: e.entryId, kind };
        } else if (kind === 'missing') {
          await t.query(`DELETE FROM audit_events WHERE tenant_id = 'acme' AND id = $1`, [p]);
          expected = { index: e.index, entryId: e.entryId, kind };
        } else if (kind === 'inserted') {
          const forged = randomUUID();
          await t.query(`INSERT INTO audit_events SELECT id + 700, tenant_id, $2::uuid, happened_at, action, version, entity_type, entity_id, entity_name, source_type, source_id, source_name, success, context, received_at, submitted_by, stream_seq, changes, correlation_id FROM audit_events WHERE tenant_id = 'acme' AND id = $1`, [p, forged]);
          expected = { index: indexAfter(BigInt(p as string) + 700n), entryId: forged, kind };
        } else {
          const other = audits[n + 1] as Entry;
          const q = positions[other.index];
          await t.query(`UPDATE audit_events SET id = -id WHERE tenant_id = 'acme' AND id = $1`, [p]);
          await t.query(`UPDATE audit_events SET id = $1 WHERE tenant_id = 'acme' AND id = $2`, [p, q]);
          await t.query(`UPDATE audit_events SET id = $1 WHERE tenant_id = 'acme' AND id = -$2::bigint`, [q, p]);
          expected = { index: e.index, entryId: e.entryId, kind };
        }
        await expectFound(expected);
      }),
      { numRuns: 12 },
    );
  }, 120_000);
});
