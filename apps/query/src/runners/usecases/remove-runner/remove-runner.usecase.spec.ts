import { RunnerStore } from '@runtrail/auth';
import { deleteRunnerConsumer, type NatsClient } from '@runtrail/messaging';
import { NotFoundError } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { ROOT_AUTH, runnerRecord, tenantAuth } from '../../../../test/fixtures';
import type { QueryConfig } from '../../../shared/config/query.config';
import type { RunnerEvents } from '../../runner-events';
import { RemoveRunner } from './remove-runner.usecase';

jest.mock('@runtrail/messaging', () => ({ ...jest.requireActual<object>('@runtrail/messaging'), deleteRunnerConsumer: jest.fn(async () => undefined) }));

describe('RemoveRunner', () => {
  const runner = runnerRecord();
  let client: NatsClient;
  const events = { removed: jest.fn(async () => undefined) };
  let store: RunnerStore;
  let remove: RemoveRunner;

  beforeEach(async () => {
    jest.clearAllMocks();
    client = fakeNatsClient();
    store = await RunnerStore.open(client, 'test', 1);
    await store.save(runner, 'token-hash');
    remove = new RemoveRunner(store, client, events as unknown as RunnerEvents, { RUNTRAIL_NAMESPACE: 'test' } as QueryConfig);
  });

  it('removes the runner and its token, then its consumer', async () => {
    await remove.execute({ auth: tenantAuth('acme'), runnerId: runner.id });
    await expect(store.findById(runner.id)).resolves.toBeUndefined();
    await expect(store.findByTokenHash('token-hash')).resolves.toBeUndefined();
    expect(deleteRunnerConsumer).toHaveBeenCalledWith(client, 'test', runner.id);
    expect(events.removed).toHaveBeenCalledWith(tenantAuth('acme'), runner);
  });

  it("answers another tenant's runner like a missing one, and leaves it alone", async () => {
    await expect(remove.execute({ auth: tenantAuth('globex'), runnerId: runner.id })).rejects.toThrow(new NotFoundError(`runner ${runner.id} not found`));
    await expect(store.findById(runner.id)).resolves.toEqual(runner);
    expect(deleteRunnerConsumer).not.toHaveBeenCalled();
  });

  it('lets the root key remove any runner', async () => {
    await remove.execute({ auth: ROOT_AUTH, runnerId: runner.id });
    await expect(store.findById(runner.id)).resolves.toBeUndefined();
  });
});
