import { RunnerStore } from '@runtrail/auth';
import { ForbiddenError } from '@runtrail/platform';
import { fakeNatsClient } from '../../../../test/fakes';
import { runnerAuth, runnerRecord, tenantAuth } from '../../../../test/fixtures';
import type { QueryConfig } from '../../../shared/config/query.config';
import { GetRunnerSession } from './get-runner-session.usecase';

describe('GetRunnerSession', () => {
  const runner = runnerRecord();
  let session: GetRunnerSession;

  beforeAll(async () => {
    const store = await RunnerStore.open(fakeNatsClient(), 'test', 1);
    await store.save(runner, 'hash');
    session = new GetRunnerSession(store, { RUNTRAIL_NAMESPACE: 'ns' } as QueryConfig, { publicKeyPem: 'PUBLIC', privateKeyPem: 'PRIVATE' });
  });

  it('tells the runner who it is, where its commands arrive and which key signs them', async () => {
    await expect(session.execute({ auth: runnerAuth(runner) })).resolves.toEqual({
      runnerId: runner.id,
      tenantId: 'acme',
      name: 'runner',
      workspaces: ['acme-prod'],
      stream: 'ns-events',
      consumer: `ns-runner-${runner.id}`,
      subject: `ns.evt.acme.cmd.${runner.id}`,
      signingPublicKey: 'PUBLIC',
    });
  });

  it('refuses a caller that is not a registered runner', async () => {
    await expect(session.execute({ auth: tenantAuth('acme') })).rejects.toThrow(new ForbiddenError('only a runner token may use this endpoint'));
    await expect(session.execute({ auth: runnerAuth(runnerRecord({ id: '30000000-0000-4000-8000-000000000000' })) })).rejects.toThrow(ForbiddenError);
  });
});
