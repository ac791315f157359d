import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ServiceProcess } from '@runtrail/launcher';
import { openNote, parseVerifierKey, rawPublicKey, rootOf } from '@runtrail/merkle';
import { auditEvent, eventually, request, startTestStack, type HttpAnswer, type TestStack } from '@runtrail/testing';
import { GO_BUILD_TIMEOUT_MS, GoTlog } from './go-tlog';

interface Checkpoint {
  origin: string;
  size: number;
  rootHash: string;
  issuedAt: string;
  note: string;
}

interface Entry {
  index: number;
  entryId: string;
  kind: string;
  ref: string;
  receivedAt: string;
  leafHash: string;
}

interface LogKey {
  keyId: string;
  algorithm: string;
  publicKey: string;
  verifierKey: string;
}

interface PublicKey extends LogKey {
  previous: LogKey[];
}

interface Proof {
  index: number;
  size: number;
  leafHash: string;
  hashes: string[];
  checkpoint: string;
}

interface Consistency {
  from: number;
  to: number;
  hashes: string[];
}

/**
 * The integrity log's endpoints (docs/api.md#integrity-log, CONTRACT §6) through the real
 * services, checked with code we did not write: Go's sumdb/note opens every checkpoint with
 * the verifier key the service publishes, and Go's sumdb/tlog checks every inclusion and
 * consistency proof against the signed roots. The query service signs every second here;
 * waits poll the API with a bounded helper.
 */
describe('integrity endpoints', () => {
  let t: TestStack;
  let go: GoTlog;
  let acme: string;
  let globex: string;
  let writerOnly: string;
  /** The query service that runs now: the stack's own until the signing key is rotated. */
  let query: { url: string };
  /** Checkpoints kept by earlier tests for later ones, in the order they were taken. */
  const kept: Checkpoint[] = [];

  const get = <T>(path: string, key = acme, headers: Record<string, string> = {}) => request<T>('GET', `${query.url}${path}`, { key, headers });
  const json = async <T>(path: string, key = acme): Promise<T> => {
    const res = await get<T>(path, key);
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
    return res.body;
  };

  /** Every page of a list, following `Link: rel="next"`. */
  async function all<T>(path: string, key = acme): Promise<T[]> {
    const out: T[] = [];
    for (let next: string | undefined = path; next; ) {
      const res: HttpAnswer<T[]> = await get<T[]>(next, key);
      expect(res.status).toBe(200);
      out.push(...res.body);
      const link = res.headers.get('link');
      next = link ? link.slice(1, link.indexOf('>')) : undefined;
    }
    return out;
  }

  async function submitEvents(key: string, n: number): Promise<string[]> {
    const events = Array.from({ length: n }, () => auditEvent());
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: events })).status).toBe(202);
    return events.map((e) => e.eventId as string);
  }

  /** A run reported at its start and at its end: two entries with the run's id as ref. */
  async function submitRun(key: string): Promise<string> {
    const run = { id: randomUUID(), workspace: { name: 'acme-prod' }, block: { name: 'nginx' }, action: 'deploy', status: 'running', startedAt: '2026-11-30T09:00:00Z' };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key, body: run })).status).toBe(202);
    const end = { ...run, status: 'successful', finishedAt: '2026-11-30T09:01:00Z', exitCode: 0 };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key, body: end })).status).toBe(202);
    return run.id;
  }

  /** The log's entries once it holds an entry for every ref (a run's two reports count twice). */
  async function entriesWith(refs: string[], key = acme): Promise<Entry[]> {
    return eventually(
      async () => {
        const entries = await all<Entry>('/v1/integrity/entries?limit=1000', key);
        const have = entries.map((e) => e.ref);
        return refs.every((r) => have.filter((h) => h === r).length >= refs.filter((x) => x === r).length) ? entries : undefined;
      },
      30_000,
      'log entries',
    );
  }

  /** The latest checkpoint, once one covers at least `size` entries. */
  async function checkpointOf(size: number, key = acme): Promise<Checkpoint> {
    return eventually(
      async () => {
        const res = await request<Checkpoint>('GET', `${query.url}/v1/integrity/checkpoint`, { key, headers: { accept: 'application/json' } });
        return res.status === 200 && res.body.size >= size ? res.body : undefined;
      },
      30_000,
      `a checkpoint of size ${size}`,
    );
  }

  beforeAll(async () => {
    go = await GoTlog.start();
    // No RUNTRAIL_SIGNING_KEY: the key is generated on first start and kept in NATS.
    t = await startTestStack('e2eintegrity', { CHECKPOINT_INTERVAL_SECONDS: '1' });
    query = { url: t.queryUrl };
    acme = await t.createKey('acme', ['events:write', 'audit:read'], 'acme-auditor');
    globex = await t.createKey('globex', ['events:write', 'audit:read'], 'globex-auditor');
    writerOnly = await t.createKey('acme', ['events:write'], 'acme-writer');
  }, GO_BUILD_TIMEOUT_MS + 90_000);

  afterAll(async () => {
    await go?.close();
    await t?.stop();
  });

  it('answers 404 before a log has its first checkpoint, and gives the key already', async () => {
    const res = await get('/v1/integrity/checkpoint?tenant=initech', t.adminKey);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringMatching(/^the log of tenant initech has no checkpoint yet: one is signed within 1 seconds of its first entry$/) });
    const json404 = await get('/v1/integrity/checkpoint?tenant=initech', t.adminKey, { accept: 'application/json' });
    expect(json404.status).toBe(404);
    expect((await get(`/v1/integrity/proof?entry_id=${randomUUID()}&tenant=initech`, t.adminKey)).status).toBe(404);
    expect(await json('/v1/integrity/checkpoints?tenant=initech', t.adminKey)).toEqual([]);
    const key = await json<PublicKey>('/v1/integrity/public-key?tenant=initech', t.adminKey);
    expect(key).toEqual({ keyId: expect.stringMatching(/^[0-9a-f]{8}$/), algorithm: 'ed25519', publicKey: expect.any(String), verifierKey: expect.any(String), previous: [] });
    expect(key.verifierKey.startsWith(`runtrail/local/initech+${key.keyId}+`)).toBe(true);
    expect(await go.verifier(key.verifierKey)).toEqual({ valid: true, name: 'runtrail/local/initech', keyId: key.keyId });
  });

  it("signs each tenant's log: the note verifies with the published verifier key, by Go's note package and by openNote, and its root is the tree of the listed leaves", async () => {
    const refs = [...(await submitEvents(acme, 3)), ...[await submitRun(acme)].flatMap((id) => [id, id])];
    const globexRefs = await submitEvents(globex, 2);

    for (const [key, tenant, wanted] of [[acme, 'acme', refs], [globex, 'globex', globexRefs]] as const) {
      const entries = await entriesWith([...wanted], key);
      expect(entries.map((e) => e.index)).toEqual(entries.map((_, i) => i));
      const checkpoint = await checkpointOf(entries.length, key);
      const published = await json<PublicKey>('/v1/integrity/public-key', key);
      expect(published.verifierKey.startsWith(`runtrail/local/${tenant}+`)).toBe(true);

      // The text form is the note itself; the JSON form says what it says.
      const text = await get<string>(`/v1/integrity/checkpoint`, key);
      expect(text.status).toBe(200);
      expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(text.headers.get('vary')).toMatch(/accept/i);
      const atLeast = await json<Checkpoint[]>(`/v1/integrity/checkpoints?start=${checkpoint.size}&end=${checkpoint.size}`, key);
      expect(atLeast).toEqual([checkpoint]);
      expect(text.text.startsWith(`runtrail/local/${tenant}\n`)).toBe(true);

      const checked = await go.verifyCheckpoint(published.verifierKey, checkpoint.note);
      expect(checked).toEqual({ valid: true, origin: `runtrail/local/${tenant}`, size: checkpoint.size, rootHash: checkpoint.rootHash, signatures: [{ name: `runtrail/local/${tenant}`, keyId: published.keyId }] });
      expect(openNote(checkpoint.note, [parseVerifierKey(published.verifierKey)])).toBe(`runtrail/local/${tenant}\n${checkpoint.size}\n${checkpoint.rootHash}\n`);
      expect(checkpoint.origin).toBe(`runtrail/local/${tenant}`);

      const leaves = (await all<Entry>(`/v1/integrity/entries?end=${checkpoint.size}`, key)).map((e) => Buffer.from(e.leafHash, 'base64'));
      expect(rootOf(leaves).toString('base64')).toBe(checkpoint.rootHash);
      if (tenant === 'acme') kept.push(checkpoint);
    }
  });

  it("proves every entry's inclusion in a checkpoint, as Go's checkRecord accepts against the signed root", async () => {
    const [checkpoint] = kept as [Checkpoint];
    const entries = await all<Entry>(`/v1/integrity/entries?end=${checkpoint.size}`);
    expect(entries).toHaveLength(checkpoint.size);
    for (const entry of entries) {
      const proof = await json<Proof>(`/v1/integrity/proof?entry_id=${entry.entryId.toUpperCase()}&size=${checkpoint.size}`);
      expect(proof).toEqual({ index: entry.index, size: checkpoint.size, leafHash: entry.leafHash, hashes: expect.any(Array), checkpoint: checkpoint.note });
      expect(await go.checkRecord({ ...proof, root: checkpoint.rootHash })).toEqual({ valid: true });
    }
    // The checker is not a rubber stamp: a proof for another leaf fails.
    const proof = await json<Proof>(`/v1/integrity/proof?entry_id=${entries[0]?.entryId}&size=${checkpoint.size}`);
    expect(await go.checkRecord({ ...proof, leafHash: entries[1]?.leafHash as string, root: checkpoint.rootHash })).toMatchObject({ valid: false });

    // Without size: the latest checkpoint's, which also verifies.
    const latest = await json<Proof>(`/v1/integrity/proof?entry_id=${entries[0]?.entryId}`);
    const signed = await json<Checkpoint[]>(`/v1/integrity/checkpoints?start=${latest.size}&end=${latest.size}`);
    expect(latest.checkpoint).toBe(signed[0]?.note);
    expect(await go.checkRecord({ ...latest, root: signed[0]?.rootHash as string })).toEqual({ valid: true });
  });

  it("proves that a later checkpoint extends an earlier one, as Go's checkTree accepts", async () => {
    const [first] = kept as [Checkpoint];
    const added = await submitEvents(acme, 5);
    const entries = await entriesWith(added);
    const later = await checkpointOf(entries.length);
    expect(later.size).toBeGreaterThan(first.size);
    kept.push(later);

    const proof = await json<Consistency>(`/v1/integrity/consistency?from=${first.size}&to=${later.size}`);
    expect(proof).toEqual({ from: first.size, to: later.size, hashes: expect.any(Array) });
    expect(await go.checkTree({ ...proof, fromRoot: first.rootHash, toRoot: later.rootHash })).toEqual({ valid: true });
    expect(await go.checkTree({ ...proof, fromRoot: later.rootHash, toRoot: first.rootHash })).toMatchObject({ valid: false });
    expect(await json<Consistency>(`/v1/integrity/consistency?from=${later.size}&to=${later.size}`)).toEqual({ from: later.size, to: later.size, hashes: [] });

    // An entry after a checkpoint is not proved in it: 409, saying so.
    const newer = entries.find((e) => e.index >= first.size) as Entry;
    const refused = await get(`/v1/integrity/proof?entry_id=${newer.entryId}&size=${first.size}`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ message: `entry ${newer.entryId} has index ${newer.index}, which the checkpoint of size ${first.size} does not cover (it covers indices 0 to ${first.size - 1})` });
    // A size nobody signed proves nothing: 404.
    const unsigned = await get(`/v1/integrity/consistency?from=${first.size}&to=${later.size + 1000}`);
    expect(unsigned.status).toBe(404);
    expect(unsigned.body).toMatchObject({ message: expect.stringMatching(new RegExp(`^no checkpoint of size ${later.size + 1000}: `)) });
    expect((await get(`/v1/integrity/proof?entry_id=${newer.entryId}&size=${later.size + 1000}`)).status).toBe(404);
  });

  it('lists entries oldest first and checkpoints newest first, paged by Link and bounded by start, end and ref', async () => {
    const entries = await all<Entry>('/v1/integrity/entries');
    expect(entries.map((e) => e.index)).toEqual(entries.map((_, i) => i));
    const page = await get<Entry[]>('/v1/integrity/entries?start=1&end=6&limit=2');
    expect(page.body).toEqual(entries.slice(1, 3));
    expect(page.headers.get('link')).toMatch(/^<\/v1\/integrity\/entries\?start=1&end=6&limit=2&cursor=[^>]+>; rel="next"$/);
    expect(await all<Entry>('/v1/integrity/entries?start=1&end=6&limit=2')).toEqual(entries.slice(1, 6));
    expect(await all<Entry>('/v1/integrity/entries?offset=3&limit=1000')).toEqual(entries.slice(3));

    const run = entries.find((e) => e.kind === 'action-run-report') as Entry;
    const reports = await json<Entry[]>(`/v1/integrity/entries?ref=${run.ref.toUpperCase()}`);
    expect(reports.map((e) => e.kind)).toEqual(['action-run-report', 'action-run-report']);
    expect(new Set(reports.map((e) => e.entryId)).size).toBe(2);
    expect(entries.filter((e) => e.kind === 'admin-act').length).toBeGreaterThanOrEqual(2); // the keys created in acme

    const checkpoints = await all<Checkpoint>('/v1/integrity/checkpoints?limit=1');
    expect(checkpoints.map((c) => c.size)).toEqual([...checkpoints.map((c) => c.size)].sort((a, b) => b - a));
    expect(new Set(checkpoints.map((c) => c.size)).size).toBe(checkpoints.length);
    const [first, later] = kept as [Checkpoint, Checkpoint];
    expect(checkpoints).toEqual(expect.arrayContaining([first, later]));
    expect((await json<Checkpoint[]>(`/v1/integrity/checkpoints?start=${first.size}&end=${later.size}&limit=1000`)).map((c) => c.size)).toEqual(
      checkpoints.filter((c) => c.size >= first.size && c.size <= later.size).map((c) => c.size),
    );
    // Dates bound issuedAt: the whole day, and a time range that holds only the first.
    expect(await all<Checkpoint>(`/v1/integrity/checkpoints?start=${first.issuedAt.slice(0, 10)}&end=${later.issuedAt.slice(0, 10)}`)).toEqual(
      checkpoints.filter((c) => c.issuedAt.slice(0, 10) >= first.issuedAt.slice(0, 10) && c.issuedAt.slice(0, 10) <= later.issuedAt.slice(0, 10)),
    );
    expect(await json<Checkpoint[]>(`/v1/integrity/checkpoints?start=${first.issuedAt}&end=${first.issuedAt}`)).toEqual(checkpoints.filter((c) => c.issuedAt === first.issuedAt));
    expect(await json<Checkpoint[]>('/v1/integrity/checkpoints?start=2020-01-01&end=2020-12-31')).toEqual([]);
  });

  it('keeps tenants apart: a key reads its own log only, the root key names one', async () => {
    const acmeEntries = await all<Entry>('/v1/integrity/entries');
    const globexEntries = await all<Entry>('/v1/integrity/entries', globex);
    expect(globexEntries.length).toBeGreaterThan(0);
    expect(globexEntries.map((e) => e.entryId).filter((id) => acmeEntries.some((a) => a.entryId === id))).toEqual([]);

    const acmeEntry = acmeEntries[0] as Entry;
    const notFound = await get(`/v1/integrity/proof?entry_id=${acmeEntry.entryId}`, globex);
    expect(notFound.status).toBe(404);
    expect(notFound.body).toMatchObject({ message: `entry ${acmeEntry.entryId} not found` });
    for (const path of ['/v1/integrity/proof?entry_id=' + acmeEntry.entryId + '&tenant=acme', '/v1/integrity/entries?tenant=acme', '/v1/integrity/checkpoint?tenant=acme', '/v1/integrity/public-key?tenant=acme']) {
      const res = await get(path, globex);
      expect([path, res.status, res.body]).toEqual([path, 403, expect.objectContaining({ message: "a tenant key may only read its own tenant's log" })]);
    }
    expect((await get('/v1/integrity/entries', writerOnly)).status).toBe(403);

    // The root key names the tenant, and then sees exactly what the tenant's key sees.
    for (const path of ['/v1/integrity/entries', '/v1/integrity/checkpoint', '/v1/integrity/checkpoints', '/v1/integrity/public-key', `/v1/integrity/proof?entry_id=${acmeEntry.entryId}`, '/v1/integrity/consistency?from=1&to=1']) {
      const res = await get(path, t.adminKey);
      expect([path, res.status, res.body]).toEqual([path, 400, expect.objectContaining({ message: ['tenant is required with the root key, which spans every tenant'] })]);
    }
    expect(await all<Entry>('/v1/integrity/entries?tenant=acme', t.adminKey)).toEqual(await all<Entry>('/v1/integrity/entries?tenant=acme'));
    expect(await json('/v1/integrity/public-key?tenant=globex', t.adminKey)).toEqual(await json('/v1/integrity/public-key', globex));
    expect((await get(`/v1/integrity/proof?entry_id=${acmeEntry.entryId}&tenant=globex`, t.adminKey)).status).toBe(404);

    // A cursor is bound to its tenant and list.
    const link = (await get('/v1/integrity/entries?limit=1&tenant=acme', t.adminKey)).headers.get('link') ?? '';
    const cursor = decodeURIComponent(/cursor=([^>&]+)/.exec(link)?.[1] ?? '');
    expect(cursor).not.toBe('');
    for (const path of [`/v1/integrity/entries?limit=1&tenant=globex&cursor=${encodeURIComponent(cursor)}`, `/v1/integrity/checkpoints?limit=1&tenant=acme&cursor=${encodeURIComponent(cursor)}`]) {
      const res = await get(path, t.adminKey);
      expect([path, res.status, res.body]).toEqual([path, 400, expect.objectContaining({ message: ['cursor is not valid for this query; start again without cursor'] })]);
    }

    // An empty log is never signed, however many rounds went by.
    expect(await json('/v1/integrity/checkpoints?tenant=initech', t.adminKey)).toEqual([]);
  });

  it('refuses bad input with 400, naming the parameter', async () => {
    const max = Number.MAX_SAFE_INTEGER;
    const cases: [string, string[]][] = [
      ['/v1/integrity/proof', ['entry_id must be a UUID']],
      ['/v1/integrity/proof?entry_id=nope', ['entry_id must be a UUID']],
      [`/v1/integrity/proof?entry_id=${randomUUID()}&size=0`, [`size must be a tree size: an integer from 1 to ${max}`]],
      [`/v1/integrity/proof?entry_id=${randomUUID()}&size=-1`, [`size must be a tree size: an integer from 1 to ${max}`]],
      [`/v1/integrity/proof?entry_id=${randomUUID()}&size=${max + 1}`, [`size must be a tree size: an integer from 1 to ${max}`]],
      [`/v1/integrity/proof?entry_id=${randomUUID()}&entry_id=${randomUUID()}`, ['entry_id must be a UUID']],
      ['/v1/integrity/consistency?from=2', [`to must be a tree size: an integer from 1 to ${max}`]],
      ['/v1/integrity/consistency?from=0&to=3', [`from must be a tree size: an integer from 1 to ${max}`]],
      ['/v1/integrity/consistency?from=3&to=2', ['from must not be greater than to']],
      ['/v1/integrity/consistency?from=1.5&to=2', [`from must be a tree size: an integer from 1 to ${max}`]],
      ['/v1/integrity/entries?start=5&end=5', ['start must be less than end (end is exclusive)']],
      ['/v1/integrity/entries?start=x', [`start must be an entry index: an integer from 0 to ${max}`]],
      ['/v1/integrity/entries?ref=run-1', ['ref must be a UUID']],
      ['/v1/integrity/entries?limit=0', ['limit must be an integer from 1 to 1000']],
      ['/v1/integrity/entries?kind=admin-act', ['kind is not a known query parameter']],
      ['/v1/integrity/checkpoints?start=2022-02-30', [`start must be a tree size (an integer from 0 to ${max}) or a date: yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone`]],
      ['/v1/integrity/checkpoints?start=9&end=3', ['start must not be after end']],
      ['/v1/integrity/checkpoints?start=2026-12-02&end=2026-12-01', ['start must not be after end']],
      ['/v1/integrity/public-key?tenant=Acme', ['tenant must match ^[a-z0-9][a-z0-9-]{0,62}$']],
      ['/v1/integrity/checkpoint?size=1', ['size is not a known query parameter']],
    ];
    for (const [path, message] of cases) {
      const res = await get(path);
      expect([path, res.status, res.body]).toEqual([path, 400, { statusCode: 400, error: 'Bad Request', message }]);
    }
  });

  it('counts the checkpoints it signs in /metrics', async () => {
    const metrics = await request('GET', `${query.url}/metrics`);
    expect(metrics.text).toMatch(/^runtrail_checkpoints_signed_total\{service="query"\} [1-9]\d*$/m);
  });

  it('after the signing key is rotated, signs with the new key and lists the old one in previous, which still verifies the older checkpoints', async () => {
    const before = await json<PublicKey>('/v1/integrity/public-key');
    const older = kept[kept.length - 1] as Checkpoint;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const newPublicKey = rawPublicKey(publicKey).toString('base64');

    const port = Number(new URL(t.queryUrl).port);
    await t.stack.services.query.stop();
    const rotated = new ServiceProcess({ name: 'query', port, env: { ...t.env, CHECKPOINT_INTERVAL_SECONDS: '1', RUNTRAIL_SIGNING_KEY: pem, LOG_LEVEL: 'warn' }, output: 'collect' });
    rotated.start();
    try {
      await rotated.waitReady(60_000);
      query = { url: rotated.url };
      // The start prints the public key for the operator to publish, never the private key.
      expect(rotated.output).toContain(newPublicKey);
      expect(rotated.output).not.toContain(pem.split('\n')[1]);

      const after = await json<PublicKey>('/v1/integrity/public-key');
      expect(after.publicKey).toBe(newPublicKey);
      expect(after.keyId).not.toBe(before.keyId);
      expect(after.previous).toEqual([{ keyId: before.keyId, algorithm: 'ed25519', publicKey: before.publicKey, verifierKey: before.verifierKey }]);

      const added = await submitEvents(acme, 2);
      const newer = await checkpointOf((await entriesWith(added)).length);
      expect(await go.verifyCheckpoint(after.verifierKey, newer.note)).toMatchObject({ valid: true, size: newer.size, rootHash: newer.rootHash });
      expect(await go.verifyCheckpoint(after.verifierKey, older.note)).toMatchObject({ valid: false });
      expect(await go.verifyCheckpoint(after.previous[0]?.verifierKey as string, older.note)).toMatchObject({ valid: true, size: older.size });

      // Old sizes are still proved, with their own notes, and the new tree extends the old one.
      const proof = await json<Proof>(`/v1/integrity/proof?entry_id=${(await all<Entry>('/v1/integrity/entries'))[0]?.entryId}&size=${older.size}`);
      expect(proof.checkpoint).toBe(older.note);
      expect(await go.checkRecord({ ...proof, root: older.rootHash })).toEqual({ valid: true });
      const consistency = await json<Consistency>(`/v1/integrity/consistency?from=${older.size}&to=${newer.size}`);
      expect(await go.checkTree({ ...consistency, fromRoot: older.rootHash, toRoot: newer.rootHash })).toEqual({ valid: true });
    } finally {
      await rotated.stop();
    }
  });
});
