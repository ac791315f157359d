import { RunnerStore, hashApiKey } from '@runtrail/auth';
import { ensureRunnerConsumer, type NatsClient } from '@runtrail/messaging';
import { ForbiddenError, ManualClock } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import type { QueryConfig } from '../../../shared/config/query.config';
import type { RunnerEvents } from '../../runner-events';
import { RegisterRunner } from './register-runner.usecase';

jest.mock('@runtrail/messaging', () => ({ ...jest.requireActual<object>('@runtrail/messaging'), ensureRunnerConsumer: jest.fn(async () => 'consumer') }));

describe('RegisterRunner', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
  let client: NatsClient;
  const events = { registered: jest.fn(async () => undefined) };
  let store: RunnerStore;
  let register: RegisterRunner;

  beforeEach(async () => {
    jest.clearAllMocks();
    client = fakeNatsClient();
    store = await RunnerStore.open(client, 'test', 1);
    register = new RegisterRunner(store, client, events as unknown as RunnerEvents, { RUNTRAIL_NAMESPACE: 'test' } as QueryConfig, clock);
  });

  it("registers a runner in the caller's tenant, its consumer first; its token is shown once and works", async () => {
    const auth = tenantAuth('acme', ['runners:manage']);
    const created = await register.execute({ auth, name: 'edge', workspaces: ['acme-prod', '*'] });
    expect(created).toEqual({ id: expect.any(String), name: 'edge', workspaces: ['acme-prod', '*'], token: expect.stringMatching(/^rtr_/) });
    const record = { id: created.id, tenantId: 'acme', name: 'edge', workspaces: ['acme-prod', '*'], createdAt: '2026-03-01T10:00:00.000Z' };
    expect(ensureRunnerConsumer).toHaveBeenCalledWith(client, 'test', 'acme', created.id);
    await expect(store.findByTokenHash(hashApiKey(created.token))).resolves.toEqual(record);
    expect(events.registered).toHaveBeenCalledWith(auth, record);
  });

  it('refuses the root key, which has no tenant to register in', async () => {
    await expect(register.execute({ auth: ROOT_AUTH, name: 'edge', workspaces: ['*'] })).rejects.toThrow(
      new ForbiddenError('the root key spans every tenant; register runners with a tenant key holding runners:manage'),
    );
    expect(ensureRunnerConsumer).not.toHaveBeenCalled();
    expect(await store.list()).toEqual([]);
  });
});
