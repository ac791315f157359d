import { KeyStore, hashApiKey, isKeyInactive } from '@runtrail/auth';
import { ConflictError, ForbiddenError, ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient, quietLogger, recordingTimeline } from '../../../../test/fakes';
import { apiKeyRecord, tenantAuth } from '../../../../test/fixtures';
import { TenantKeys } from '../../tenant-keys';
import { RotateApiKey } from './rotate-api-key.usecase';

describe('RotateApiKey', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const admin = tenantAuth('acme', ['admin', 'events:write']);
  const old = apiKeyRecord({ scopes: ['events:write'] });
  let store: KeyStore;
  let timeline: ReturnType<typeof recordingTimeline>;
  let rotate: RotateApiKey;

  beforeEach(async () => {
    store = await KeyStore.open(fakeNatsClient(), 'test', 1, quietLogger);
    await store.save('old-hash', old);
    timeline = recordingTimeline();
    rotate = new RotateApiKey(new TenantKeys(store, timeline.recorder, clock), timeline.recorder, clock);
  });

  it('issues a replacement with the same identity; the old key works until the overlap ends', async () => {
    const created = await rotate.execute({ auth: admin, keyId: old.id, overlapSeconds: 600 });
    expect(created).toMatchObject({ tenantId: 'acme', name: 'ci', principalType: 'Application', scopes: ['events:write'], replaces: old.id });
    expect(await store.findByHash(hashApiKey(created.key))).toMatchObject({ id: created.id });
    const before = (await store.findById(old.id))?.record;
    expect(before).toMatchObject({ replacedBy: created.id, expiresAt: '2026-03-01T10:10:00.000Z' });
    expect(before && isKeyInactive(before, clock.now() + 599_999)).toBe(false);
    expect(before && isKeyInactive(before, clock.now() + 600_000)).toBe(true);
    expect(timeline.acts.map((a) => [a.action, a.entityId, a.context])).toEqual([
      ['Create', created.id, { scopes: 'events:write', principal_type: 'Application', replaces: old.id }],
      ['Update', old.id, { replaced_by: created.id, expires_at: '2026-03-01T10:10:00.000Z' }],
    ]);
  });

  it('keeps the old key a day by default', async () => {
    await rotate.execute({ auth: admin, keyId: old.id });
    expect((await store.findById(old.id))?.record.expiresAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('rotates a key once, and never one past its overlap', async () => {
    const created = await rotate.execute({ auth: admin, keyId: old.id, overlapSeconds: 60 });
    await expect(rotate.execute({ auth: admin, keyId: old.id })).rejects.toThrow(new ConflictError(`API key ${old.id} was already replaced by ${created.id}`));
    await store.save('other-hash', apiKeyRecord({ id: '66666666-6666-4666-8666-666666666666', scopes: ['events:write'], expiresAt: clock.iso() }));
    await expect(rotate.execute({ auth: admin, keyId: '66666666-6666-4666-8666-666666666666' })).rejects.toThrow('is revoked or expired');
  });

  it("answers another tenant's key like a missing one, and needs every scope of the key", async () => {
    await expect(rotate.execute({ auth: tenantAuth('globex', ['admin', 'events:write']), keyId: old.id })).rejects.toThrow(new NotFoundError(`API key ${old.id} not found`));
    await expect(rotate.execute({ auth: tenantAuth('acme', ['admin']), keyId: old.id })).rejects.toThrow(ForbiddenError);
    expect(timeline.acts).toEqual([]);
  });
});
