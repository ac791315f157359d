import { randomUUID } from 'node:crypto';
import { BASE62, hasValidChecksum } from '@runtrail/contracts';
import { auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

interface KeyView {
  id: string;
  key?: string;
  tenantId: string;
  name: string;
  scopes: string[];
  lastUsedAt: string | null;
  expiresAt: string | null;
  replacedBy: string | null;
  replaces: string | null;
}

interface TimelineEntry {
  action: string;
  entityType: string;
  entityId: string;
  sourceName: string;
  context: Record<string, string>;
}

/** The key with one character replaced, as a person copying it by hand might. */
function mistype(key: string, at: number): string {
  const c = key[at];
  return key.slice(0, at) + BASE62[(BASE62.indexOf(c) + 1) % 62] + key.slice(at + 1);
}

describe('API key lifecycle: checksum, lastUsedAt, rotation', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack('e2ekeys');
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  const createKey = async (tenantId: string, scopes: string[], by = t.adminKey, name = 'ci') => {
    const res = await request<KeyView>('POST', `${t.queryUrl}/v1/api-keys`, { key: by, body: { tenantId, name, principalType: 'Application', scopes } });
    expect(res.status).toBe(201);
    return res.body as KeyView & { key: string };
  };
  const listKeys = async (by = t.adminKey) => (await request<KeyView[]>('GET', `${t.queryUrl}/v1/api-keys?limit=1000`, { key: by })).body;
  const post = (key: string) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: auditEvent() });
  const read = (key: string) => request('GET', `${t.queryUrl}/v1/audit?limit=1`, { key });
  const rotate = (id: string, body?: unknown, by = t.adminKey) =>
    request<KeyView & { key: string; message?: string }>('POST', `${t.queryUrl}/v1/api-keys/${id}/rotate`, { key: by, body });

  describe('format', () => {
    it('issues rt_ + 40 base62 characters whose last 6 are a checksum', async () => {
      const { key } = await createKey('acme', ['audit:read']);
      expect(key).toMatch(/^rt_[0-9A-Za-z]{40}$/);
      expect(hasValidChecksum(key)).toBe(true);
      expect(hasValidChecksum(mistype(key, 10))).toBe(false);
    });

    it('refuses a mistyped key with 401 on both services', async () => {
      const { key } = await createKey('acme', ['events:write', 'audit:read']);
      expect((await post(key)).status).toBe(202);
      for (const at of [3, 20, key.length - 1]) {
        const wrong = mistype(key, at);
        expect([(await post(wrong)).status, (await read(wrong)).status]).toEqual([401, 401]);
      }
    });
  });

  describe('lastUsedAt', () => {
    it('is null until the key is used, then the time of an accepted request on any service', async () => {
      const writer = await createKey('acme', ['events:write']);
      const reader = await createKey('acme', ['audit:read']);
      expect((await listKeys()).filter((k) => [writer.id, reader.id].includes(k.id)).map((k) => k.lastUsedAt)).toEqual([null, null]);
      const before = Date.now();
      expect((await post(writer.key)).status).toBe(202);
      expect((await read(reader.key)).status).toBe(200);
      const used = await eventually(async () => {
        const keys = (await listKeys()).filter((k) => [writer.id, reader.id].includes(k.id));
        return keys.every((k) => k.lastUsedAt !== null) ? keys : undefined;
      }, 5000);
      for (const k of used) {
        // the minute's precision is on the write side: the first use is written at once
        expect(Date.parse(k.lastUsedAt!)).toBeGreaterThanOrEqual(before - 5);
        expect(Date.parse(k.lastUsedAt!)).toBeLessThanOrEqual(Date.now());
      }
    });

    it('is not moved by a mistyped key', async () => {
      const stranger = await createKey('globex', ['audit:read']);
      expect((await read(mistype(stranger.key, 5))).status).toBe(401);
      expect((await read(stranger.key.slice(0, -1))).status).toBe(401);
      expect((await listKeys()).find((k) => k.id === stranger.id)!.lastUsedAt).toBeNull();
    });
  });

  describe('rotation', () => {
    it('issues a replacement at once and refuses the old key on every service after the overlap', async () => {
      const old = await createKey('acme', ['events:write', 'audit:read'], t.adminKey, 'deployer');
      const res = await rotate(old.id, { overlapSeconds: 3 });
      expect(res.status).toBe(201);
      const fresh = res.body;
      expect(fresh).toMatchObject({ tenantId: 'acme', name: 'deployer', scopes: ['events:write', 'audit:read'], replaces: old.id, replacedBy: null, expiresAt: null });
      expect(fresh.id).not.toBe(old.id);
      expect(hasValidChecksum(fresh.key)).toBe(true);

      // overlap: both keys work on both services
      expect([(await post(fresh.key)).status, (await read(fresh.key)).status]).toEqual([202, 200]);
      expect([(await post(old.key)).status, (await read(old.key)).status]).toEqual([202, 200]);
      const listedOld = (await listKeys()).find((k) => k.id === old.id)!;
      expect(listedOld.replacedBy).toBe(fresh.id);
      expect(Date.parse(listedOld.expiresAt!) - Date.now()).toBeLessThanOrEqual(3000);

      // after it: the old key is refused everywhere, the new one still works
      await eventually(async () => ((await post(old.key)).status === 401 ? true : undefined), 8000, 'old key refused by ingest');
      expect((await read(old.key)).status).toBe(401);
      expect([(await post(fresh.key)).status, (await read(fresh.key)).status]).toEqual([202, 200]);
    });

    it('with overlap 0 refuses the old key within 5 seconds', async () => {
      const old = await createKey('acme', ['events:write']);
      expect((await rotate(old.id, { overlapSeconds: 0 })).status).toBe(201);
      await eventually(async () => ((await post(old.key)).status === 401 ? true : undefined), 5000);
    });

    it('defaults to one day of overlap when the body is empty', async () => {
      const old = await createKey('acme', ['audit:read']);
      const before = Date.now();
      expect((await rotate(old.id)).status).toBe(201);
      const listed = (await listKeys()).find((k) => k.id === old.id)!;
      expect(Date.parse(listed.expiresAt!) - before).toBeGreaterThanOrEqual(86_400_000 - 5);
      expect(Date.parse(listed.expiresAt!) - before).toBeLessThanOrEqual(86_400_000 + 5000);
      expect((await read(old.key)).status).toBe(200);
    });

    it('rotates a key once: its replacement is rotated next; a revoked key not at all', async () => {
      const old = await createKey('acme', ['audit:read']);
      const first = await rotate(old.id, { overlapSeconds: 60 });
      const again = await rotate(old.id, { overlapSeconds: 60 });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain(first.body.id);
      expect((await rotate(first.body.id, { overlapSeconds: 60 })).status).toBe(201);
      const revoked = await createKey('acme', ['audit:read']);
      expect((await request('DELETE', `${t.queryUrl}/v1/api-keys/${revoked.id}`, { key: t.adminKey })).status).toBe(204);
      expect((await rotate(revoked.id)).status).toBe(409);
    });

    it('refuses bad overlaps with 400 and unknown fields too', async () => {
      const old = await createKey('acme', ['audit:read']);
      for (const body of [{ overlapSeconds: -1 }, { overlapSeconds: 30 * 86_400 + 1 }, { overlapSeconds: 1.5 }, { overlapSeconds: '60' }, { scopes: ['admin'] }]) {
        const res = await rotate(old.id, body);
        expect([res.status, JSON.stringify(body)]).toEqual([400, JSON.stringify(body)]);
      }
      expect((await listKeys()).find((k) => k.id === old.id)!.replacedBy).toBeNull();
    });

    it("lets a tenant admin rotate its own tenant's keys only, and only keys within its scopes", async () => {
      const admin = await createKey('acme', ['admin', 'audit:read']);
      const foreign = await createKey('globex', ['audit:read']);
      const wider = await createKey('acme', ['events:write']);
      const own = await createKey('acme', ['audit:read']);
      expect((await rotate(foreign.id, {}, admin.key)).status).toBe(404);
      expect((await rotate(randomUUID(), {}, admin.key)).status).toBe(404);
      expect((await rotate(wider.id, {}, admin.key)).status).toBe(403);
      expect((await rotate(own.id, {}, admin.key)).status).toBe(201);
      const reader = await createKey('acme', ['audit:read']);
      expect((await rotate(own.id, {}, reader.key)).status).toBe(403);
    });

    it("records the rotation in the tenant's timeline with the acting principal as source", async () => {
      const admin = await createKey('initech', ['admin', 'audit:read'], t.adminKey, 'key-admin');
      const old = await createKey('initech', ['audit:read'], t.adminKey, 'dashboard');
      const fresh = (await rotate(old.id, { overlapSeconds: 120 }, admin.key)).body;
      const entries = await eventually(async () => {
        const res = await request<TimelineEntry[]>('GET', `${t.queryUrl}/v1/audit?entity_type=ApiKey&source_name=key-admin`, { key: admin.key });
        return res.body.length === 2 ? res.body : undefined;
      });
      const byAction = Object.fromEntries(entries.map((e) => [e.action, e]));
      expect(byAction.Create).toMatchObject({ entityId: fresh.id, context: { replaces: old.id } });
      expect(byAction.Update).toMatchObject({ entityId: old.id, context: { replaced_by: fresh.id, expires_at: expect.any(String) } });
    });
  });
});
