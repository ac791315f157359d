import { InvalidInputError, NotFoundError } from '@runtrail/platform';
import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import { scheduleWorld } from '../../../../test/schedule-world';

describe('CreateSchedule', () => {
  const auth = tenantAuth('acme');

  it('stores a schedule of the run with its first fire time in its zone, and records it as a fact and in the timeline', async () => {
    const w = await scheduleWorld('2026-03-01T10:00:00.000Z');
    const view = await w.create.execute({ auth, runId: w.run.id.toUpperCase(), cron: '0 3 * * 0', timezone: 'Europe/Berlin', reason: 'weekly drill', runnerId: w.runner.id, until: '2027-01-01T00:00:00+01:00' });
    expect(view).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      runId: w.run.id,
      cron: '0 3 * * 0',
      timezone: 'Europe/Berlin',
      reason: 'weekly drill',
      runnerId: w.runner.id,
      until: '2026-12-31T23:00:00.000Z',
      // Sundays at 03:00 in Berlin (UTC+1 in March); 1 March 2026 is a Sunday, its 03:00 already past.
      nextFireAt: '2026-03-08T02:00:00.000Z',
      paused: false,
      createdAt: '2026-03-01T10:00:00.000Z',
      correlationId: null,
      createdBy: { sourceType: 'Application', sourceId: 'key-of-acme', sourceName: 'operator' },
      lastFiredAt: null,
      lastCommandId: null,
      lastError: null,
    });
    expect((await w.store.get(view.id))?.value).toMatchObject({ tenantId: 'acme', creator: { keyId: 'key-of-acme' } });
    expect(w.facts).toEqual([expect.objectContaining({ id: view.id, tenantId: 'acme', deleted: false, revision: expect.any(Number) })]);
    expect(w.acts).toEqual([
      expect.objectContaining({ tenantId: 'acme', action: 'Create', entityType: 'Schedule', entityId: view.id, entityName: 'nginx.deploy', context: { run_id: w.run.id, cron: '0 3 * * 0', timezone: 'Europe/Berlin' } }),
    ]);
  });

  it('defaults to UTC and needs no runner now; the root key creates it in the run’s tenant', async () => {
    const w = await scheduleWorld();
    w.runnerServes = false;
    const view = await w.create.execute({ auth: ROOT_AUTH, runId: w.run.id, cron: '*/15 * * * *', reason: 'often' });
    expect(view).toMatchObject({ timezone: 'UTC', runnerId: null, nextFireAt: '2026-03-01T10:15:00.000Z', createdBy: { sourceName: 'root' } });
    expect((await w.store.get(view.id))?.value.tenantId).toBe('acme');
  });

  it.each([
    [{ cron: '0 0 * * * *' }, /cron must be five fields/],
    [{ timezone: 'Europe/Atlantis' }, /timezone must be an IANA time zone name/],
    [{ until: '2026-03-01T09:00:00Z' }, /until must be in the future/],
    [{ until: '2026-03-01 09:00' }, /until must be an ISO-8601 date-time with zone/],
    [{ cron: '0 0 30 2 *' }, /^cron never fires$/],
    [{ cron: '0 3 * * 0', until: '2026-03-07T00:00:00Z' }, /^cron does not fire before until$/],
  ])('refuses %j with 400, storing nothing', async (over, message) => {
    const w = await scheduleWorld();
    const attempt = w.create.execute({ auth, runId: w.run.id, cron: '0 3 * * *', reason: 'drill', ...over });
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow(message);
    expect(w.facts).toEqual([]);
  });

  it('is not found for a run or a runner outside the caller’s tenant', async () => {
    const w = await scheduleWorld();
    await expect(w.create.execute({ auth: tenantAuth('globex'), runId: w.run.id, cron: '0 3 * * *', reason: 'x' })).rejects.toThrow(new NotFoundError(`action run ${w.run.id} not found`));
    const stranger = '44444444-4444-4444-8444-444444444444';
    await expect(w.create.execute({ auth, runId: w.run.id, cron: '0 3 * * *', reason: 'x', runnerId: stranger })).rejects.toThrow(new NotFoundError(`runner ${stranger} not found`));
    expect(w.facts).toEqual([]);
  });
});
