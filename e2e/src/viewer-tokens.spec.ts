import { randomBytes } from 'node:crypto';
import { BASE62, secretChecksum } from '@runtrail/contracts';
import { auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

interface AuditRecord {
  eventId: string;
  tenantId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  entityName: string | null;
  sourceId: string | null;
  sourceName: string;
  context: Record<string, string>;
}

interface CreatedToken {
  token: string;
  expiresAt: string;
  url: string;
  tenantId: string;
  sourceId: string | null;
}

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

/** A token of the right shape and checksum that the service never issued. */
function forgedViewerToken(): string {
  const body = `rtv_${[...randomBytes(34)].map((b) => BASE62[b % 62]).join('')}`;
  return body + secretChecksum(body);
}

/** Viewer tokens (docs/api.md#post-v1-viewer-tokens, ADR 0012): read-only, one tenant, optionally one source. */
describe('viewer tokens', () => {
  let t: TestStack;
  let acmeAdmin: string;
  let acmeWriter: string;
  let globexWriter: string;
  const acmeEvents = [
    auditEvent({ sourceId: 'user-7', sourceName: 'alice@acme.io', entityId: 'p-1' }),
    auditEvent({ sourceId: 'user-7', sourceName: 'alice@acme.io', entityId: 'p-2' }),
    auditEvent({ sourceId: 'user-8', sourceName: 'bob@acme.io', entityId: 'p-3' }),
  ];
  const globexEvents = [auditEvent({ sourceId: 'user-7', sourceName: 'eve@globex.io', entityId: 'g-1' })];

  beforeAll(async () => {
    t = await startTestStack('e2eviewer');
    acmeAdmin = await t.createKey('acme', ['admin', 'audit:read'], 'acme-admin');
    acmeWriter = await t.createKey('acme', ['events:write', 'audit:read']);
    globexWriter = await t.createKey('globex', ['events:write']);
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: acmeWriter, body: acmeEvents })).status).toBe(202);
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: globexWriter, body: globexEvents })).status).toBe(202);
    await eventually(async () => {
      const res = await request<AuditRecord[]>('GET', `${t.queryUrl}/v1/audit?entity_type=Project&limit=100`, { key: t.adminKey });
      return res.body.length === acmeEvents.length + globexEvents.length ? true : undefined;
    });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const create = (body?: unknown, key = acmeAdmin) => request<CreatedToken & { message?: unknown }>('POST', `${t.queryUrl}/v1/viewer-tokens`, { key, body });
  const issue = async (body?: unknown, key = acmeAdmin) => {
    const res = await create(body, key);
    expect(res.status).toBe(201);
    return res.body;
  };
  const audit = (token: string, query = '', path = '/v1/audit') => request<AuditRecord[]>('GET', `${t.queryUrl}${path}${query}`, { key: token });
  const projectIds = (records: AuditRecord[]) => records.filter((r) => r.entityType === 'Project').map((r) => r.entityId).sort();

  it('issues an rtv_ token shown once, with its expiry and the embed link on the query service', async () => {
    const before = Date.now();
    const res = await create({});
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      token: expect.stringMatching(/^rtv_[0-9A-Za-z]{40}$/),
      expiresAt: expect.any(String),
      url: `${t.queryUrl}/embed?token=${res.body.token}`,
      tenantId: 'acme',
      sourceId: null,
    });
    const ttl = Date.parse(res.body.expiresAt) - before;
    expect(ttl).toBeGreaterThan(899_000);
    expect(ttl).toBeLessThanOrEqual(900_000 + 5_000);
    // and no body at all is the same as {}
    expect((await request('POST', `${t.queryUrl}/v1/viewer-tokens`, { key: acmeAdmin })).status).toBe(201);
  });

  it('says who it is: a viewer of its tenant with audit:read only', async () => {
    const { token, expiresAt } = await issue({ sourceId: 'user-7', ttlSeconds: 600 });
    const res = await request('GET', `${t.queryUrl}/v1/whoami`, { key: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'viewer',
      keyId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'viewer',
      tenantId: 'acme',
      principalType: 'Application',
      scopes: ['audit:read'],
      expiresAt,
      sourceId: 'user-7',
    });
  });

  it("reads its tenant's whole timeline, never another tenant's, in pages and downloads", async () => {
    const { token } = await issue();
    const page = await audit(token, '?limit=1000');
    expect(page.status).toBe(200);
    expect(new Set(page.body.map((r) => r.tenantId))).toEqual(new Set(['acme']));
    expect(projectIds(page.body)).toEqual(['p-1', 'p-2', 'p-3']);
    const k8s = await audit(token, '?limit=1000', '/v1/k8s/audit');
    expect(projectIds(k8s.body)).toEqual(['p-1', 'p-2', 'p-3']);
    const json = await audit(token, '?download=true&format=json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(new Set(json.body.map((r) => r.tenantId))).toEqual(new Set(['acme']));
    expect(json.text).not.toContain('globex');
  });

  it('with a sourceId, shows only that source, in pages, followed cursors and both downloads', async () => {
    const { token, sourceId } = await issue({ sourceId: 'user-7' });
    expect(sourceId).toBe('user-7');
    const page = await audit(token, '?limit=1000');
    expect(page.status).toBe(200);
    expect(page.body.map((r) => r.sourceId)).toEqual(['user-7', 'user-7']);
    expect(projectIds(page.body)).toEqual(['p-1', 'p-2']);

    // page by page through the Link header: still only the token's source
    const first = await audit(token, '?limit=1');
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = await request<AuditRecord[]>('GET', `${t.queryUrl}${next}`, { key: token });
    expect(second.status).toBe(200);
    expect([...first.body, ...second.body].map((r) => r.entityId).sort()).toEqual(['p-1', 'p-2']);
    expect(second.headers.get('link')).toBeNull();

    const json = await audit(token, '?download=true&format=json');
    expect(json.body.map((r) => r.entityId).sort()).toEqual(['p-1', 'p-2']);
    const csv = await audit(token, '?download=true&format=csv');
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(csv.text).not.toContain('user-8');
    expect(csv.text).not.toContain('eve@globex.io');
  });

  it('lets source_id narrow the answer but never widen it', async () => {
    const { token } = await issue({ sourceId: 'user-7' });
    expect((await audit(token, '?source_id=user-7')).body).toHaveLength(2);
    for (const query of ['?source_id=user-8', '?source_id=user-8&download=true&format=json', '?source_name=bob%40acme.io']) {
      const res = await audit(token, query);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([]);
    }
    const csv = await audit(token, '?source_id=user-8&download=true&format=csv');
    expect(csv.text.trim().split('\r\n')).toHaveLength(1);
  });

  it('from the root key, reads the tenant it names', async () => {
    const { token, tenantId } = await issue({ tenantId: 'globex' }, t.adminKey);
    expect(tenantId).toBe('globex');
    const page = await audit(token, '?limit=1000');
    expect(new Set(page.body.map((r) => r.tenantId))).toEqual(new Set(['globex']));
    expect(page.body.map((r) => r.entityId)).toContain('g-1');
  });

  it('is refused (403) on every other route of both services, POSTs included', async () => {
    const { token } = await issue();
    const routes: [string, string, string][] = [];
    for (const [service, base] of [['ingest', t.ingestUrl], ['query', t.queryUrl]] as const) {
      const doc = await request<OpenApi>('GET', `${base}/openapi.json`);
      for (const [path, ops] of Object.entries(doc.body.paths)) {
        for (const method of Object.keys(ops)) {
          if (method === 'get' && ['/v1/audit', '/v1/k8s/audit', '/v1/whoami'].includes(path)) continue;
          routes.push([service, method.toUpperCase(), `${base}${path.replace(/\{[^}]+\}/g, '8d7c1c5e-7a8e-4f57-9b8a-1d0b3f0d6a11')}`]);
        }
      }
    }
    expect(routes.length).toBeGreaterThan(15);
    for (const [, method, url] of routes) {
      const res = await request<{ message: string }>(method, url, { key: token, body: method === 'POST' ? auditEvent() : undefined });
      expect([method, url, res.status]).toEqual([method, url, 403]);
      expect(res.body.message).toBe('a viewer token may only read the audit timeline (GET /v1/audit) and call GET /v1/whoami');
    }
  });

  it('is refused (401) once expired', async () => {
    const { token } = await issue({ ttlSeconds: 1 });
    await eventually(async () => ((await audit(token)).status === 401 ? true : undefined), 10_000, 'the expired token refused');
    expect((await request('GET', `${t.queryUrl}/v1/whoami`, { key: token })).status).toBe(401);
  });

  it('is refused (401) once the key that created it is revoked', async () => {
    const admin = await request<{ id: string; key: string }>('POST', `${t.queryUrl}/v1/api-keys`, {
      key: t.adminKey,
      body: { tenantId: 'acme', name: 'short-lived-admin', principalType: 'User', scopes: ['admin', 'audit:read'] },
    });
    const { token } = await issue({}, admin.body.key);
    expect((await audit(token)).status).toBe(200);
    expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${admin.body.id}`, { key: t.adminKey })).status).toBe(204);
    await eventually(async () => ((await audit(token)).status === 401 ? true : undefined), 5_000, 'the token of a revoked key refused');
  });

  it('refuses forged and mistyped tokens with 401', async () => {
    const { token } = await issue();
    for (const forged of [forgedViewerToken(), `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}`, `rtv_${'A'.repeat(40)}`]) {
      expect((await audit(forged)).status).toBe(401);
    }
  });

  it('validates the body: ttlSeconds, sourceId and tenantId', async () => {
    const cases: [unknown, string][] = [
      [{ ttlSeconds: 0 }, 'ttlSeconds must be an integer from 1 to 86400'],
      [{ ttlSeconds: 86_401 }, 'ttlSeconds must be an integer from 1 to 86400'],
      [{ ttlSeconds: 1.5 }, 'ttlSeconds must be an integer from 1 to 86400'],
      [{ ttlSeconds: '60' }, 'ttlSeconds must be an integer from 1 to 86400'],
      [{ sourceId: '' }, 'sourceId must be 1 to 200 printable characters'],
      [{ sourceId: 'x'.repeat(201) }, 'sourceId must be 1 to 200 printable characters'],
      [{ sourceId: 'a\u0007b' }, 'sourceId must be 1 to 200 printable characters'],
      [{ tenantId: 'Acme' }, 'tenantId must match ^[a-z0-9][a-z0-9-]{0,62}$'],
      [{ scopes: ['admin'] }, 'scopes is not a known field'],
    ];
    for (const [body, message] of cases) {
      const res = await create(body);
      expect([body, res.status, res.body.message]).toEqual([body, 400, [message]]);
    }
    expect((await create({ sourceId: 'x'.repeat(200), ttlSeconds: 86_400 })).status).toBe(201);
  });

  it('keeps a tenant admin in its own tenant, makes the root key name one, and needs admin and audit:read', async () => {
    expect((await create({ tenantId: 'acme' })).status).toBe(201);
    const other = await create({ tenantId: 'globex' });
    expect([other.status, other.body.message]).toEqual([403, 'a tenant admin may only create viewer tokens for its own tenant']);
    const root = await create({}, t.adminKey);
    expect([root.status, root.body.message]).toEqual([400, ['tenantId is required with the root key, which spans every tenant']]);
    expect((await create({}, acmeWriter)).status).toBe(403);
    const adminOnly = await t.createKey('acme', ['admin']);
    const refused = await create({}, adminOnly);
    expect([refused.status, refused.body.message]).toEqual([403, 'cannot grant scopes the calling key does not hold: audit:read']);
    expect((await create({})).status).toBe(201);
    expect((await request('POST', `${t.queryUrl}/v1/viewer-tokens`, { body: {} })).status).toBe(401);
  });

  it("enters each creation in the tenant's timeline, without the token", async () => {
    const { token, expiresAt } = await issue({ sourceId: 'user-8', ttlSeconds: 120 });
    const entry = await eventually(async () => {
      const res = await request<AuditRecord[]>('GET', `${t.queryUrl}/v1/audit?entity_type=ViewerToken&limit=1000`, { key: acmeAdmin });
      return res.body.find((r) => r.context.expires_at === expiresAt && r.context.source_id === 'user-8');
    }, 10_000, 'the ViewerToken entry');
    expect(entry).toMatchObject({ tenantId: 'acme', action: 'Create', entityType: 'ViewerToken', entityName: 'viewer', sourceName: 'acme-admin' });
    expect(entry.entityId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(entry)).not.toContain(token.slice(4));
    const stored = await t.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE context::text LIKE $1', [`%${token.slice(4)}%`]);
    expect(stored[0].n).toBe('0');
  });
});
