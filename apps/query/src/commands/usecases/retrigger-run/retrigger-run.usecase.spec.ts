import { ConflictError, ManualClock, NotFoundError } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { actionRun, runnerRecord, tenantAuth } from '../../../../test/fixtures';
import type { ActionRunRepository } from '../../../action-runs/action-run.repository';
import type { QueryConfig } from '../../../shared/config/query.config';
import type { CommandEvents } from '../../command-events';
import { CommandStore } from '../../command-store';
import type { RunnerChoice } from '../../runner-choice';
import { RetriggerRun } from './retrigger-run.usecase';

describe('RetriggerRun', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  const run = actionRun({ tenantId: 'acme' });
  const correlated = actionRun({ tenantId: 'acme', id: 'c0c0c0c0-0000-4000-8000-000000000001', correlationId: 'pipeline-17' });
  const runner = runnerRecord();
  const auth = tenantAuth('acme');
  let store: CommandStore;
  let online: boolean;
  const runs = { findById: jest.fn(async (_t: string | null, id: string) => ([run, correlated].find((r) => r.id === id))) };
  const runners = { choose: jest.fn(async () => ({ runner, online })) };
  const events = { requested: jest.fn(async () => undefined) };
  let retrigger: RetriggerRun;

  beforeEach(async () => {
    jest.clearAllMocks();
    online = true;
    store = await CommandStore.open(fakeNatsClient(), 'test', 1);
    retrigger = new RetriggerRun(
      runs as unknown as ActionRunRepository,
      runners as unknown as RunnerChoice,
      store,
      events as unknown as CommandEvents,
      { COMMAND_TTL_SECONDS: 600 } as QueryConfig,
      clock,
    );
  });

  it('creates a command for the chosen runner that waits until its time to live has passed, and announces it', async () => {
    const result = await retrigger.execute({ auth, runId: run.id.toUpperCase(), runnerId: runner.id.toUpperCase(), reason: 'flaky' });
    expect(result).toEqual({ commandId: expect.any(String), runId: run.id, runnerId: runner.id, status: 'dispatched' });
    expect(runners.choose).toHaveBeenCalledWith({ tenantId: 'acme', workspace: 'acme-prod', runnerId: runner.id });
    const stored = await store.get(result.commandId);
    expect(stored?.value).toMatchObject({ status: 'dispatched', reason: 'flaky', requestedAt: '2026-03-01T10:00:00.000Z', expiresAt: '2026-03-01T10:10:00.000Z', requestedBy: { sourceName: 'operator' } });
    expect(events.requested).toHaveBeenCalledWith(auth, stored);
  });

  it('carries the correlation id asked for, else the original run’s, else none', async () => {
    const given = await retrigger.execute({ auth, runId: correlated.id, correlationId: 'pipeline-4711' });
    expect((await store.get(given.commandId))?.value).toMatchObject({ correlationId: 'pipeline-4711', scheduleId: null });
    const inherited = await retrigger.execute({ auth, runId: correlated.id });
    expect((await store.get(inherited.commandId))?.value.correlationId).toBe('pipeline-17');
    const none = await retrigger.execute({ auth, runId: run.id });
    expect((await store.get(none.commandId))?.value.correlationId).toBeNull();
  });

  it('creates a schedule’s firing under the id it is given, once: the same id again is a conflict and announces nothing', async () => {
    const commandId = '88888888-8888-4888-8888-888888888888';
    const scheduleId = '99999999-9999-4999-8999-999999999999';
    await expect(retrigger.execute({ auth, runId: run.id, commandId, scheduleId })).resolves.toMatchObject({ commandId });
    expect((await store.get(commandId))?.value.scheduleId).toBe(scheduleId);
    events.requested.mockClear();
    await expect(retrigger.execute({ auth, runId: run.id, commandId, scheduleId })).rejects.toThrow(ConflictError);
    expect(events.requested).not.toHaveBeenCalled();
  });

  it('queues the command when the runner is offline', async () => {
    online = false;
    await expect(retrigger.execute({ auth, runId: run.id })).resolves.toMatchObject({ status: 'queued' });
  });

  it('is not found for a run outside the caller’s tenant, naming it as written; nothing is requested', async () => {
    const id = 'ABCDEF00-0000-4000-8000-000000000000';
    await expect(retrigger.execute({ auth, runId: id })).rejects.toThrow(new NotFoundError(`action run ${id} not found`));
    expect(runs.findById).toHaveBeenCalledWith('acme', id.toLowerCase());
    expect(runners.choose).not.toHaveBeenCalled();
    expect(events.requested).not.toHaveBeenCalled();
  });
});
