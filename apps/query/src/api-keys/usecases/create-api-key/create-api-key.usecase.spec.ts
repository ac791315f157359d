import { KeyStore, hashApiKey } from '@runtrail/auth';
import { ForbiddenError, ManualClock } from '@runtrail/platform';
import { fakeNatsClient, quietLogger, recordingTimeline } from '../../../../test/fakes';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import { TenantKeys } from '../../tenant-keys';
import { CreateApiKey } from './create-api-key.usecase';

describe('CreateApiKey', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  let store: KeyStore;
  let timeline: ReturnType<typeof recordingTimeline>;
  let createKey: CreateApiKey;

  beforeEach(async () => {
    store = await KeyStore.open(fakeNatsClient(), 'test', 1, quietLogger);
    timeline = recordingTimeline();
    createKey = new CreateApiKey(new TenantKeys(store, timeline.recorder, clock));
  });

  it('creates a working key in the caller’s tenant, shows it once, and records the act', async () => {
    const admin = tenantAuth('acme', ['admin', 'audit:read']);
    const created = await createKey.execute({ auth: admin, tenantId: 'acme', name: 'ci', principalType: 'Application', scopes: ['audit:read'] });
    expect(created).toMatchObject({ tenantId: 'acme', name: 'ci', scopes: ['audit:read'], createdAt: clock.iso(), revokedAt: null, lastUsedAt: null, expiresAt: null, replaces: null });
    expect(created.key).toMatch(/^rt_/);
    expect(await store.findByHash(hashApiKey(created.key))).toMatchObject({ id: created.id });
    expect(timeline.acts).toEqual([
      { tenantId: 'acme', action: 'Create', entityType: 'ApiKey', entityId: created.id, entityName: 'ci', context: { scopes: 'audit:read', principal_type: 'Application' } },
    ]);
  });

  it('refuses another tenant and scopes the caller does not hold, storing nothing', async () => {
    const admin = tenantAuth('acme', ['admin']);
    await expect(createKey.execute({ auth: admin, tenantId: 'globex', name: 'x', principalType: 'User', scopes: ['admin'] })).rejects.toThrow(ForbiddenError);
    await expect(createKey.execute({ auth: admin, tenantId: 'acme', name: 'x', principalType: 'User', scopes: ['events:write'] })).rejects.toThrow(
      'cannot grant scopes the calling key does not hold: events:write',
    );
    expect(await store.list()).toEqual([]);
    expect(timeline.acts).toEqual([]);
  });

  it('lets the root key create keys in any tenant', async () => {
    await expect(createKey.execute({ auth: ROOT_AUTH, tenantId: 'globex', name: 'x', principalType: 'User', scopes: ['admin'] })).resolves.toMatchObject({ tenantId: 'globex' });
  });
});
