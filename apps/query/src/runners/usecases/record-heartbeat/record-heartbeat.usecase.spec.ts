import { RunnerStore, isOnline } from '@runtrail/auth';
import { ManualClock } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { runnerAuth, runnerRecord } from '../../../../test/fixtures';
import { RecordHeartbeat } from './record-heartbeat.usecase';

describe('RecordHeartbeat', () => {
  const runner = runnerRecord();
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  let store: RunnerStore;
  let heartbeat: RecordHeartbeat;

  beforeEach(async () => {
    store = await RunnerStore.open(fakeNatsClient(), 'test', 1);
    await store.save(runner, 'hash');
    heartbeat = new RecordHeartbeat(store, clock);
  });

  it('keeps the runner online for 30 seconds from its heartbeat', async () => {
    await heartbeat.execute({ auth: runnerAuth(runner), state: 'online', hostname: 'edge-1' });
    const seen = await store.presence(runner.id);
    expect(seen).toEqual({ lastSeenAt: '2026-03-01T10:00:00.000Z', state: 'online', hostname: 'edge-1', version: null });
    expect(isOnline(seen, clock.now() + 29_999)).toBe(true);
    expect(isOnline(seen, clock.now() + 30_000)).toBe(false);
  });

  it('takes the runner offline at once when it says it stops', async () => {
    await heartbeat.execute({ auth: runnerAuth(runner), state: 'offline', version: '1.2.0' });
    expect(isOnline(await store.presence(runner.id), clock.now())).toBe(false);
  });
});
