import { ForbiddenError, InvalidInputError } from '@runtrail/platform';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import { retentionWorld } from '../../test/retention-world';

describe('SetRetention and GetRetention', () => {
  let w: Awaited<ReturnType<typeof retentionWorld>>;

  beforeEach(async () => {
    w = await retentionWorld();
  });

  afterEach(async () => {
    await w.close();
  });

  it('keeps everything until a policy is set', async () => {
    expect(await w.get.execute({ auth: tenantAuth('acme') })).toEqual({ tenantId: 'acme', days: 0, legalHold: false, updatedAt: null, removed: null });
    expect(w.acts).toEqual([]);
  });

  it('sets a policy, keeps the fields a later change leaves out, and records each change with its values before', async () => {
    const auth = tenantAuth('acme');
    expect(await w.set.execute({ auth, body: { days: 30 } })).toEqual({ tenantId: 'acme', days: 30, legalHold: false, updatedAt: '2026-03-01T10:00:00.000Z', removed: null });
    w.clock.advance(60_000);
    expect(await w.set.execute({ auth, body: { legalHold: true } })).toMatchObject({ days: 30, legalHold: true, updatedAt: '2026-03-01T10:01:00.000Z' });
    expect(await w.store.get('acme')).toMatchObject({ days: 30, legalHold: true, updatedBy: auth.principal });
    expect(w.acts.map((a) => [a.action, a.entityType, a.entityId, a.context])).toEqual([
      ['Update', 'Retention', 'acme', { days: '30', legalHold: 'false', daysBefore: '0', legalHoldBefore: 'false' }],
      ['Update', 'Retention', 'acme', { days: '30', legalHold: 'true', daysBefore: '30', legalHoldBefore: 'false' }],
    ]);
  });

  it('answers what retention has removed beside the policy', async () => {
    w.removals.set('acme', { tenantId: 'acme', upToIndex: 502, upToPosition: '2048', receivedBefore: '2026-01-30T10:00:00.000Z', removedAt: '2026-03-01T09:00:00.000Z' });
    expect((await w.get.execute({ auth: tenantAuth('acme') })).removed).toEqual({ upToIndex: 502, upTo: '2026-01-30T10:00:00.000Z', at: '2026-03-01T09:00:00.000Z' });
  });

  it('acts on the tenant the root key names, and on no other tenant for a tenant key', async () => {
    await expect(w.set.execute({ auth: ROOT_AUTH, body: { days: 7 } })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(w.set.execute({ auth: tenantAuth('acme'), body: { days: 7, tenantId: 'globex' } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(w.get.execute({ auth: tenantAuth('acme'), tenantId: 'globex' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await w.set.execute({ auth: ROOT_AUTH, body: { days: 7, tenantId: 'globex' } })).toMatchObject({ tenantId: 'globex', days: 7 });
    expect(await w.get.execute({ auth: tenantAuth('acme') })).toMatchObject({ days: 0 });
    expect(w.acts).toEqual([expect.objectContaining({ tenantId: 'globex', by: 'root' })]);
  });
});
