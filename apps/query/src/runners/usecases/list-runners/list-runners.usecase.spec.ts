import { randomBytes } from 'node:crypto';
import { RunnerStore } from '@runtrail/auth';
import { ManualClock } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { ROOT_AUTH, presence, runnerRecord, tenantAuth } from '../../../../test/fixtures';
import { CursorCodec } from '../../../shared/paging/cursor-codec';
import { KeysetPages } from '../../../shared/paging/keyset-pages';
import { ListRunners } from './list-runners.usecase';

describe('ListRunners', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const older = runnerRecord({ id: '20000000-0000-4000-8000-000000000001', createdAt: '2026-01-01T00:00:00.000Z' });
  const newer = runnerRecord({ id: '20000000-0000-4000-8000-000000000002', createdAt: '2026-01-02T00:00:00.000Z' });
  const foreign = runnerRecord({ id: '20000000-0000-4000-8000-000000000003', tenantId: 'globex' });
  let list: ListRunners;

  beforeAll(async () => {
    const store = await RunnerStore.open(fakeNatsClient(), 'test', 1);
    for (const r of [older, newer, foreign]) await store.save(r, `hash-${r.id}`);
    await store.setPresence(newer.id, { ...presence('2026-03-01T09:59:40.000Z'), hostname: 'edge-1', version: '1.2.0' });
    list = new ListRunners(store, new KeysetPages(new CursorCodec(randomBytes(32))), clock);
  });

  it("pages the caller's runners newest first, online within 30 s of their heartbeat", async () => {
    const page = await list.execute({ auth: tenantAuth('acme'), paging: { limit: 40, offset: 0 } });
    expect(page.items).toEqual([
      { id: newer.id, name: 'runner', workspaces: ['acme-prod'], online: true, lastSeenAt: '2026-03-01T09:59:40.000Z', hostname: 'edge-1', version: '1.2.0' },
      { id: older.id, name: 'runner', workspaces: ['acme-prod'], online: false, lastSeenAt: null, hostname: null, version: null },
    ]);
    clock.advance(10_000);
    expect((await list.execute({ auth: tenantAuth('acme'), paging: { limit: 1, offset: 0 } })).items[0]).toMatchObject({ id: newer.id, online: false });
  });

  it('lists every tenant for the root key', async () => {
    expect((await list.execute({ auth: ROOT_AUTH, paging: { limit: 40, offset: 0 } })).items).toHaveLength(3);
  });
});
