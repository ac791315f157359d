import { KeyStore } from '@runtrail/auth';
import { ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient, quietLogger, recordingTimeline } from '../../../../test/fakes';
import { ROOT_AUTH, apiKeyRecord, tenantAuth } from '../../../../test/fixtures';
import { TenantKeys } from '../../tenant-keys';
import { RevokeApiKey } from './revoke-api-key.usecase';

describe('RevokeApiKey', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const key = apiKeyRecord();
  let store: KeyStore;
  let timeline: ReturnType<typeof recordingTimeline>;
  let revoke: RevokeApiKey;

  beforeEach(async () => {
    store = await KeyStore.open(fakeNatsClient(), 'test', 1, quietLogger);
    await store.save('hash', key);
    timeline = recordingTimeline();
    revoke = new RevokeApiKey(new TenantKeys(store, timeline.recorder, clock), timeline.recorder, clock);
  });

  it('revokes at the time of the clock, once: revoking again changes nothing', async () => {
    await revoke.execute({ auth: tenantAuth('acme'), keyId: key.id });
    clock.advance(5000);
    await revoke.execute({ auth: ROOT_AUTH, keyId: key.id });
    expect((await store.findById(key.id))?.record.revokedAt).toBe('2026-03-01T10:00:00.000Z');
    expect(timeline.acts).toEqual([{ tenantId: 'acme', action: 'Delete', entityType: 'ApiKey', entityId: key.id, entityName: 'ci' }]);
  });

  it("answers another tenant's key like a missing one", async () => {
    await expect(revoke.execute({ auth: tenantAuth('globex'), keyId: key.id })).rejects.toThrow(new NotFoundError(`API key ${key.id} not found`));
    expect((await store.findById(key.id))?.record.revokedAt).toBeNull();
  });
});
