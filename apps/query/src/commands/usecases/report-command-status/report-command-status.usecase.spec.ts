import { ConflictError, ManualClock } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { runnerAuth, runnerRecord, waitingCommand } from '../../../../test/fixtures';
import type { CommandEvents } from '../../command-events';
import { CommandStore } from '../../command-store';
import { CommandTransitions } from '../../command-transitions';
import { ReportCommandStatus } from './report-command-status.usecase';

describe('ReportCommandStatus', () => {
  const auth = runnerAuth(runnerRecord());
  const clock = new ManualClock(Date.parse('2026-03-01T10:05:00.000Z'));
  let store: CommandStore;
  let report: ReportCommandStatus;

  beforeEach(async () => {
    store = await CommandStore.open(fakeNatsClient(), 'test', 1);
    const events = { changed: async () => undefined };
    report = new ReportCommandStatus(new CommandTransitions(store, events as unknown as CommandEvents, clock));
  });

  it('follows an accepted command through running to its end, keeping the new run and exit code', async () => {
    const c = waitingCommand({ status: 'accepted' });
    await store.create(c);
    const newRunId = '99999999-9999-4999-8999-99999999999A';
    await report.execute({ auth, commandId: c.id, status: 'running', newRunId });
    await report.execute({ auth, commandId: c.id, status: 'succeeded', exitCode: 0 });
    expect((await store.get(c.id))?.value).toMatchObject({ status: 'succeeded', exitCode: 0, newRunId: newRunId.toLowerCase(), updatedAt: '2026-03-01T10:05:00.000Z' });
    await expect(report.execute({ auth, commandId: c.id, status: 'running' })).rejects.toThrow(new ConflictError(`command ${c.id} cannot go from succeeded to running`));
  });

  it('refuses a report on a command its runner has not taken', async () => {
    const c = waitingCommand({ status: 'dispatched' });
    await store.create(c);
    await expect(report.execute({ auth, commandId: c.id, status: 'failed' })).rejects.toThrow('cannot go from dispatched to failed');
  });
});
