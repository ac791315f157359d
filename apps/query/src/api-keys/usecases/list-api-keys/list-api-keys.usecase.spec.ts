import { randomBytes } from 'node:crypto';
import { KeyStore } from '@runtrail/auth';
import { fakeNatsClient, quietLogger } from '../../../../test/fakes';
import { ROOT_AUTH, apiKeyRecord, tenantAuth } from '../../../../test/fixtures';
import { CursorCodec } from '../../../shared/paging/cursor-codec';
import { KeysetPages } from '../../../shared/paging/keyset-pages';
import { ListApiKeys } from './list-api-keys.usecase';

describe('ListApiKeys', () => {
  const older = apiKeyRecord({ id: '10000000-0000-4000-8000-000000000001', createdAt: '2026-01-01T00:00:00.000Z' });
  const newer = apiKeyRecord({ id: '10000000-0000-4000-8000-000000000002', createdAt: '2026-01-02T00:00:00.000Z' });
  const foreign = apiKeyRecord({ id: '10000000-0000-4000-8000-000000000003', tenantId: 'globex' });
  let listKeys: ListApiKeys;

  beforeAll(async () => {
    const store = await KeyStore.open(fakeNatsClient(), 'test', 1, quietLogger);
    for (const [i, k] of [older, newer, foreign].entries()) await store.save(`hash-${i}`, k);
    store.touch(newer.id, Date.parse('2026-03-01T10:00:00.000Z'));
    listKeys = new ListApiKeys(store, new KeysetPages(new CursorCodec(randomBytes(32))));
  });

  it("pages the caller's keys newest first, with when each was last used", async () => {
    const first = await listKeys.execute({ auth: tenantAuth('acme'), paging: { limit: 1, offset: 0 } });
    expect(first.items).toEqual([expect.objectContaining({ id: newer.id, lastUsedAt: '2026-03-01T10:00:00.000Z', revokedAt: null })]);
    const second = await listKeys.execute({ auth: tenantAuth('acme'), paging: { limit: 1, offset: 0, cursor: first.nextCursor } });
    expect(second.items).toEqual([expect.objectContaining({ id: older.id, lastUsedAt: null })]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('lists every tenant for the root key', async () => {
    const all = await listKeys.execute({ auth: ROOT_AUTH, paging: { limit: 10, offset: 0 } });
    expect(all.items.map((k) => k.id).sort()).toEqual([older.id, newer.id, foreign.id].sort());
  });
});
