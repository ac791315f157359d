import { request, startTestStack, type TestStack } from '@runtrail/testing';

interface Whoami {
  kind: 'root' | 'key' | 'viewer';
  keyId: string;
  name: string;
  tenantId: string | null;
  principalType: 'User' | 'Application';
  scopes: string[];
  expiresAt: string | null;
  sourceId: string | null;
}

/** GET /v1/whoami (docs/api.md#get-v1-whoami): what the console learns about the key it signs in with. */
describe('GET /v1/whoami', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack('e2ewhoami');
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  const whoami = (key?: string, query = '') => request<Whoami & { message?: unknown }>('GET', `${t.queryUrl}/v1/whoami${query}`, { key });

  it('describes the root key', async () => {
    const res = await whoami(t.adminKey);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'root',
      keyId: 'root',
      name: 'root',
      tenantId: null,
      principalType: 'Application',
      scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'],
      expiresAt: null,
      sourceId: null,
    });
  });

  it('describes a tenant key whatever its scopes, with its expiry once rotated', async () => {
    const key = await t.issueKey({ tenantId: 'acme', name: 'alice', principalType: 'User', scopes: ['events:write'] });
    const res = await whoami(key.key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: 'key',
      keyId: key.id,
      name: 'alice',
      tenantId: 'acme',
      principalType: 'User',
      scopes: ['events:write'],
      expiresAt: null,
      sourceId: null,
    });
    expect(res.text).not.toContain(key.key);

    const rotated = await request('POST', `${t.queryUrl}/v1/api-keys/${key.id}/rotate`, { key: t.adminKey, body: { overlapSeconds: 600 } });
    expect(rotated.status).toBe(201);
    const old = await whoami(key.key);
    expect(old.status).toBe(200);
    expect(Date.parse(old.body.expiresAt!)).toBeGreaterThan(Date.now() + 500_000);
  });

  it('refuses a runner token with 403, and no key, a forged key or a revoked key with 401', async () => {
    const manager = await t.issueKey({ tenantId: 'acme', name: 'ops', principalType: 'Application', scopes: ['runners:manage'] });
    const runner = await request<{ token: string }>('POST', `${t.queryUrl}/v1/runners`, { key: manager.key, body: { name: 'r1', workspaces: ['*'] } });
    expect(runner.status).toBe(201);
    const refused = await whoami(runner.body.token);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe('a runner token may not use this endpoint');

    expect((await whoami()).status).toBe(401);
    expect((await whoami(`rt_${'A'.repeat(40)}`)).status).toBe(401);
    const gone = await t.issueKey({ tenantId: 'acme', name: 'gone', principalType: 'Application', scopes: ['audit:read'] });
    expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${gone.id}`, { key: t.adminKey })).status).toBe(204);
    expect((await whoami(gone.key)).status).toBe(401);
  });

  it('takes no query parameters', async () => {
    const res = await whoami(t.adminKey, '?tenant=acme');
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(['tenant is not a known query parameter']);
  });
});
