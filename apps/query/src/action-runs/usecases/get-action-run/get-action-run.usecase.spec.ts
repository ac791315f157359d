import { NotFoundError } from '@runtrail/platform';
import { actionRun, tenantAuth } from '../../../../test/fixtures';
import type { ActionRunRepository } from '../../action-run.repository';
import { GetActionRun } from './get-action-run.usecase';

describe('GetActionRun', () => {
  const run = actionRun();
  const retriggers = [{ commandId: '44444444-4444-4444-8444-444444444444', status: 'succeeded' as const, newRunId: null }];
  const runs = {
    findById: jest.fn(async (_tenant: string | null, id: string) => (id === run.id ? run : undefined)),
    retriggersOf: jest.fn(async () => retriggers),
  };
  const getRun = new GetActionRun(runs as unknown as ActionRunRepository);

  it('answers the run with its re-triggers, looked up in lower case within the caller’s tenant', async () => {
    await expect(getRun.execute({ auth: tenantAuth('acme'), runId: run.id.toUpperCase() })).resolves.toEqual({ ...run, retriggers });
    expect(runs.findById).toHaveBeenCalledWith('acme', run.id);
    expect(runs.retriggersOf).toHaveBeenCalledWith('acme', run.id);
  });

  it('is not found as the caller wrote the id', async () => {
    const id = '55555555-5555-4555-8555-55555555555A';
    await expect(getRun.execute({ auth: tenantAuth('acme'), runId: id })).rejects.toThrow(new NotFoundError(`action run ${id} not found`));
  });
});
