import { ManualClock } from '@runtrail/platform';
import pino from 'pino';
import { generateApiKey, generateSecret, hashApiKey } from './api-key';
import type { ApiKeyRecord } from './api-key-record';
import { Authenticator } from './authenticator';
import type { KeyStore } from './key-store';
import { RootKey } from './root-key';
import type { RunnerStore } from './runner-store';
import type { ViewerTokenRecord, ViewerTokenStore } from './viewer-token-store';

/** Unit test of the decision logic: the stores are in-memory stand-ins that count look-ups. */
describe('Authenticator', () => {
  const key = generateApiKey();
  const record: ApiKeyRecord = {
    id: '8d7c1c5e-7a8e-4f57-9b8a-1d0b3f0d6a11',
    tenantId: 'acme',
    name: 'ci',
    principalType: 'Application',
    scopes: ['events:write'],
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  };
  let stored: ApiKeyRecord;
  const lookups: string[] = [];
  const touched: string[] = [];
  const store = {
    findByHash: async (hash: string) => {
      lookups.push(hash);
      return hash === hashApiKey(key) ? stored : undefined;
    },
    findById: async (id: string) => (id === record.id ? { hash: hashApiKey(key), record: stored } : undefined),
    touch: (id: string) => touched.push(id),
  } as unknown as KeyStore;
  const viewerToken = generateSecret('rtv');
  let viewer: ViewerTokenRecord;
  const viewers = {
    findByHash: async (hash: string) => {
      lookups.push(hash);
      return hash === hashApiKey(viewerToken) ? viewer : undefined;
    },
  } as unknown as ViewerTokenStore;
  const runners = {
    findByTokenHash: async (hash: string) => {
      lookups.push(hash);
      return undefined;
    },
  } as unknown as RunnerStore;
  const clock = new ManualClock();
  let auth: Authenticator;

  beforeAll(async () => {
    const root = await RootKey.resolve(store, 'x'.repeat(40), pino({ level: 'silent' }));
    auth = new Authenticator(store, root, runners, viewers, clock);
  });

  beforeEach(() => {
    stored = { ...record };
    viewer = {
      id: '5f0c8a47-3d1e-4c8f-9a51-0b7e2d6c4f10',
      tenantId: 'acme',
      sourceId: 'user-7',
      createdAt: new Date(clock.now()).toISOString(),
      expiresAt: new Date(clock.now() + 900_000).toISOString(),
      createdBy: record.id,
    };
    lookups.length = 0;
    touched.length = 0;
  });

  it('accepts a stored key and records its use', async () => {
    await expect(auth.authenticate(`Bearer ${key}`)).resolves.toMatchObject({ keyId: record.id, tenantId: 'acme' });
    expect(touched).toEqual([record.id]);
  });

  it('refuses a mistyped key or runner token without looking it up', async () => {
    const typo = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
    const token = generateSecret('rtr');
    const tokenTypo = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
    for (const presented of [typo, tokenTypo, `rt_${'A'.repeat(40)}`, 'rt_short']) {
      await expect(auth.authenticate(`Bearer ${presented}`)).rejects.toThrow(/API key/i);
    }
    expect(lookups).toEqual([]);
    expect(touched).toEqual([]);
  });

  it('refuses a revoked key, and a rotated key once its overlap has ended', async () => {
    stored = { ...record, revokedAt: '2026-01-02T00:00:00.000Z' };
    await expect(auth.authenticate(`Bearer ${key}`)).rejects.toThrow();
    stored = { ...record, expiresAt: new Date(clock.now() + 60_000).toISOString() };
    await expect(auth.authenticate(`Bearer ${key}`)).resolves.toMatchObject({ keyId: record.id });
    clock.advance(59_999);
    await expect(auth.authenticate(`Bearer ${key}`)).resolves.toMatchObject({ keyId: record.id });
    clock.advance(1);
    await expect(auth.authenticate(`Bearer ${key}`)).rejects.toThrow();
    expect(touched).toEqual([record.id, record.id]);
  });

  describe('viewer tokens', () => {
    it('read the timeline of their tenant only, restricted to their source, and are not recorded as key use', async () => {
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).resolves.toEqual({
        keyId: viewer.id,
        tenantId: 'acme',
        principal: { type: 'Application', id: viewer.id, name: 'viewer' },
        scopes: ['audit:read'],
        expiresAt: viewer.expiresAt,
        viewer: { sourceId: 'user-7' },
      });
      expect(touched).toEqual([]);
    });

    it('are refused from the millisecond they expire', async () => {
      viewer = { ...viewer, expiresAt: new Date(clock.now() + 1000).toISOString() };
      clock.advance(999);
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).resolves.toMatchObject({ keyId: viewer.id });
      clock.advance(1);
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).rejects.toThrow('unknown, expired or revoked viewer token');
    });

    it('are refused once the key that created them is revoked, past its rotation overlap, or gone', async () => {
      stored = { ...record, revokedAt: new Date(clock.now()).toISOString() };
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).rejects.toThrow('unknown, expired or revoked viewer token');
      stored = { ...record, expiresAt: new Date(clock.now()).toISOString() };
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).rejects.toThrow('unknown, expired or revoked viewer token');
      viewer = { ...viewer, createdBy: '00000000-0000-4000-8000-000000000000' };
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).rejects.toThrow('unknown, expired or revoked viewer token');
    });

    it('made by the root key end only by expiry; forged or mistyped ones are refused', async () => {
      viewer = { ...viewer, createdBy: 'root' };
      await expect(auth.authenticate(`Bearer ${viewerToken}`)).resolves.toMatchObject({ keyId: viewer.id });
      await expect(auth.authenticate(`Bearer ${generateSecret('rtv')}`)).rejects.toThrow('unknown, expired or revoked viewer token');
      lookups.length = 0;
      const typo = viewerToken.slice(0, -1) + (viewerToken.endsWith('a') ? 'b' : 'a');
      await expect(auth.authenticate(`Bearer ${typo}`)).rejects.toThrow(/API key/);
      expect(lookups).toEqual([]);
    });
  });
});
