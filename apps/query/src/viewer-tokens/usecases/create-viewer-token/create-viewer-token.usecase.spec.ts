import { KeyStore, ViewerTokenStore, hashApiKey } from '@runtrail/auth';
import { VIEWER_TOKEN_PATTERN, hasValidChecksum } from '@runtrail/contracts';
import { ForbiddenError, InvalidInputError, ManualClock } from '@runtrail/platform';
import type { Logger } from 'pino';
import { fakeNatsClient, quietLogger, recordingTimeline } from '../../../../test/fakes';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import type { QueryConfig } from '../../../shared/config/query.config';
import { CreateViewerToken } from './create-viewer-token.usecase';

describe('CreateViewerToken', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const admin = tenantAuth('acme', ['admin', 'audit:read']);
  const origin = 'http://127.0.0.1:8081';
  let store: ViewerTokenStore;
  let warn: jest.Mock;
  let timeline: ReturnType<typeof recordingTimeline>;
  let config: Pick<QueryConfig, 'PUBLIC_URL'>;
  let create: CreateViewerToken;

  beforeEach(async () => {
    warn = jest.fn();
    store = new ViewerTokenStore((await KeyStore.open(fakeNatsClient(), 'test', 1, quietLogger)).kv, { warn } as unknown as Logger);
    timeline = recordingTimeline();
    config = {};
    create = new CreateViewerToken(store, timeline.recorder, config as QueryConfig, clock);
  });

  it("issues a token for the caller's tenant, stored only as its hash, shown once with its embed link", async () => {
    const created = await create.execute({ auth: admin, requestOrigin: origin });
    expect(created).toEqual({
      token: expect.stringMatching(VIEWER_TOKEN_PATTERN),
      expiresAt: '2026-03-01T10:15:00.000Z',
      url: `${origin}/embed?token=${created.token}`,
      tenantId: 'acme',
      sourceId: null,
    });
    expect(hasValidChecksum(created.token)).toBe(true);
    const stored = await store.findByHash(hashApiKey(created.token));
    expect(stored).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tenantId: 'acme',
      sourceId: null,
      createdAt: '2026-03-01T10:00:00.000Z',
      expiresAt: '2026-03-01T10:15:00.000Z',
      createdBy: admin.keyId,
    });
    expect(JSON.stringify(stored)).not.toContain(created.token.slice(4));
  });

  it('records the creation in the tenant timeline, with the source and expiry but never the token', async () => {
    const created = await create.execute({ auth: admin, sourceId: 'user-7', ttlSeconds: 60, requestOrigin: origin });
    const stored = await store.findByHash(hashApiKey(created.token));
    expect(timeline.acts).toEqual([
      { tenantId: 'acme', action: 'Create', entityType: 'ViewerToken', entityId: stored?.id, entityName: 'viewer', context: { expires_at: '2026-03-01T10:01:00.000Z', source_id: 'user-7' } },
    ]);
    expect(JSON.stringify(timeline.acts)).not.toContain(created.token.slice(4));
  });

  it('links to PUBLIC_URL when it is set, else to the request origin; without either it refuses', async () => {
    config.PUBLIC_URL = 'https://runtrail.example.com/';
    expect((await create.execute({ auth: admin, requestOrigin: origin })).url).toMatch(/^https:\/\/runtrail\.example\.com\/embed\?token=rtv_/);
    config.PUBLIC_URL = undefined;
    await expect(create.execute({ auth: admin })).rejects.toThrow(InvalidInputError);
  });

  it('makes the root key name the tenant, and keeps a tenant admin in its own', async () => {
    await expect(create.execute({ auth: ROOT_AUTH, tenantId: 'globex', requestOrigin: origin })).resolves.toMatchObject({ tenantId: 'globex' });
    expect((await store.findByHash(hashApiKey((await create.execute({ auth: ROOT_AUTH, tenantId: 'globex', requestOrigin: origin })).token)))?.createdBy).toBe('root');
    await expect(create.execute({ auth: ROOT_AUTH, requestOrigin: origin })).rejects.toThrow('tenantId is required with the root key');
    await expect(create.execute({ auth: admin, tenantId: 'globex', requestOrigin: origin })).rejects.toThrow(ForbiddenError);
    await expect(create.execute({ auth: tenantAuth('acme', ['admin']), requestOrigin: origin })).rejects.toThrow('cannot grant scopes the calling key does not hold: audit:read');
    expect(timeline.acts.map((a) => a.tenantId)).toEqual(['globex', 'globex']);
  });

  it('ends a token no later than the rotated key that creates it', async () => {
    const rotated = { ...admin, expiresAt: '2026-03-01T10:05:00.000Z' };
    expect((await create.execute({ auth: rotated, ttlSeconds: 3600, requestOrigin: origin })).expiresAt).toBe('2026-03-01T10:05:00.000Z');
  });

  it("drops expired tokens' entries from the bucket as it issues new ones", async () => {
    const sweeps = jest.spyOn(store, 'removeExpired');
    const first = await create.execute({ auth: admin, ttlSeconds: 1, requestOrigin: origin });
    clock.advance(60_000);
    const second = await create.execute({ auth: admin, requestOrigin: origin });
    await sweeps.mock.results[1]?.value;
    expect(await store.findByHash(hashApiKey(first.token))).toBeUndefined();
    expect(await store.findByHash(hashApiKey(second.token))).toBeDefined();
  });

  it('sweeps the expired entries at most once a minute per process', async () => {
    const sweeps = jest.spyOn(store, 'removeExpired');
    await create.execute({ auth: admin, requestOrigin: origin });
    clock.advance(59_999);
    await create.execute({ auth: admin, requestOrigin: origin });
    expect(sweeps).toHaveBeenCalledTimes(1);
    clock.advance(1);
    await create.execute({ auth: admin, requestOrigin: origin });
    expect(sweeps).toHaveBeenCalledTimes(2);
  });

  it('neither waits for the sweep nor fails by it: a failed sweep is logged as a warning', async () => {
    jest
      .spyOn(store, 'removeExpired')
      .mockReturnValueOnce(new Promise<number>(() => undefined))
      .mockRejectedValueOnce(new Error('TIMEOUT'));
    await expect(create.execute({ auth: admin, requestOrigin: origin })).resolves.toMatchObject({ tenantId: 'acme' });
    clock.advance(60_000);
    const created = await create.execute({ auth: admin, requestOrigin: origin });
    expect(await store.findByHash(hashApiKey(created.token))).toBeDefined();
    await new Promise(setImmediate);
    expect(warn).toHaveBeenCalledWith({ err: new Error('TIMEOUT') }, 'could not remove expired viewer tokens from the key bucket');
  });
});
