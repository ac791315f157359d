import { ROOT_AUTH, apiKeyRecord, tenantAuth } from '../../../../test/fixtures';
import { scheduleWorld } from '../../../../test/schedule-world';
import { firingCommandId, paused } from '../../schedule-rules';

describe('FireDueSchedules', () => {
  const HOUR = 3600_000;

  async function hourlySchedule(over: { until?: string; auth?: typeof ROOT_AUTH } = {}) {
    const w = await scheduleWorld('2026-03-01T10:00:00.000Z');
    const view = await w.create.execute({ auth: over.auth ?? tenantAuth('acme'), runId: w.run.id, cron: '0 * * * *', reason: 'drill', until: over.until, correlationId: 'pipe-1' });
    return { w, view };
  }

  it('fires nothing before the fire time', async () => {
    const { w } = await hourlySchedule();
    w.clock.set('2026-03-01T10:59:59.999Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 0 });
    expect(w.requested).toEqual([]);
  });

  it('makes, at the fire time, a re-trigger command with the firing’s id, the schedule’s id, reason and correlation id, and advances the schedule', async () => {
    const { w, view } = await hourlySchedule();
    w.clock.set('2026-03-01T11:00:02.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    const commandId = firingCommandId(view.id, '2026-03-01T11:00:00.000Z');
    expect(w.requested).toEqual([commandId]);
    expect((await w.commands.get(commandId))?.value).toMatchObject({ runId: w.run.id, scheduleId: view.id, reason: 'drill', correlationId: 'pipe-1', requestedBy: { sourceName: 'operator' } });
    expect((await w.store.get(view.id))?.value).toMatchObject({ nextFireAt: '2026-03-01T12:00:00.000Z', lastFiredAt: '2026-03-01T11:00:02.000Z', lastCommandId: commandId, lastError: null });
    expect(w.facts.at(-1)).toMatchObject({ id: view.id, lastCommandId: commandId, deleted: false });
    // The same tick again: nothing is due any more.
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 0 });
  });

  it('gives the command the original run’s correlation id when the schedule names none', async () => {
    const w = await scheduleWorld('2026-03-01T10:00:00.000Z');
    const view = await w.create.execute({ auth: tenantAuth('acme'), runId: w.run.id, cron: '0 * * * *', reason: 'drill' });
    w.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    const commandId = firingCommandId(view.id, '2026-03-01T11:00:00.000Z');
    expect((await w.commands.get(commandId))?.value.correlationId).toBe('run-pipe');
  });

  it('fires once for however many replicas tick at the same moment', async () => {
    const { w } = await hourlySchedule();
    w.clock.set('2026-03-01T11:00:00.000Z');
    const outcomes = await Promise.all([w.replica().execute(), w.replica().execute(), w.replica().execute()]);
    expect(outcomes.reduce((n, o) => n + o.fired, 0)).toBe(1);
    expect(w.requested).toHaveLength(1);
  });

  it('fires once for the ticks missed while no replica ran, then from the time it fired on', async () => {
    const { w, view } = await hourlySchedule();
    w.clock.advance(7 * HOUR + 20 * 60_000); // 17:20: seven fire times were missed
    await expect(w.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    expect(w.requested).toEqual([firingCommandId(view.id, '2026-03-01T11:00:00.000Z')]);
    expect((await w.store.get(view.id))?.value.nextFireAt).toBe('2026-03-01T18:00:00.000Z');
  });

  it('never fires a paused schedule, and ends at until', async () => {
    const { w, view } = await hourlySchedule({ until: '2026-03-01T12:00:00Z' });
    await w.changes.apply(tenantAuth('acme'), view.id, 'Pause', paused);
    w.clock.set('2026-03-01T11:30:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 0 });

    const { w: w2, view: v2 } = await hourlySchedule({ until: '2026-03-01T12:00:00Z' });
    w2.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w2.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    expect((await w2.store.get(v2.id))?.value.nextFireAt).toBeNull();
    w2.clock.set('2026-03-02T00:00:00.000Z');
    await expect(w2.replica().execute()).resolves.toEqual({ fired: 0, failed: 0 });
  });

  it('records a firing without a runner as failed: lastError, and a failed Retrigger entry in the creator’s name', async () => {
    const { w, view } = await hourlySchedule();
    w.runnerServes = false;
    w.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 1 });
    const error = 'no runner of tenant acme serves workspace acme-prod; register one with POST /v1/runners';
    expect((await w.store.get(view.id))?.value).toMatchObject({ lastError: error, lastCommandId: null, nextFireAt: '2026-03-01T12:00:00.000Z' });
    expect(w.facts.at(-1)).toMatchObject({ lastError: error });
    expect(w.acts.at(-1)).toMatchObject({ action: 'Retrigger', entityType: 'ActionRun', entityId: w.run.id, success: false, context: { schedule_id: view.id, reason: 'drill', error } });
    expect(w.requested).toEqual([]);

    // A runner registered later: the next firing works and clears the error.
    w.runnerServes = true;
    w.clock.set('2026-03-01T12:00:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    expect((await w.store.get(view.id))?.value.lastError).toBeNull();
  });

  it('makes no command once the creator’s key is revoked or has expired; the root key never is', async () => {
    const { w, view } = await hourlySchedule();
    w.keys.set('key-of-acme', apiKeyRecord({ id: 'key-of-acme', revokedAt: '2026-03-01T10:30:00.000Z' }));
    w.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 1 });
    expect((await w.store.get(view.id))?.value.lastError).toBe('the key that created the schedule was revoked or has expired');

    const { w: w2 } = await hourlySchedule({ auth: ROOT_AUTH });
    w2.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w2.replica().execute()).resolves.toEqual({ fired: 1, failed: 0 });
    expect((await w2.commands.get(w2.requested[0]))?.value.requestedBy).toEqual({ sourceType: 'Application', sourceId: 'root', sourceName: 'root' });
  });
});
