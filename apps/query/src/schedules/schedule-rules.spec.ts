import { tenantAuth, actionRun } from '../../test/fixtures';
import { CronSchedule } from './cron-schedule';
import { fired, firingCommandId, isDue, newSchedule, paused, resumed } from './schedule-rules';
import type { ScheduleState } from './schedule-store';

describe('schedule rules', () => {
  const now = Date.parse('2026-03-01T10:00:00.000Z');
  const hourly = (over: { until?: string | null } = {}) =>
    newSchedule({ id: 's1', run: actionRun(), cron: CronSchedule.parse('0 * * * *', 'UTC'), cronText: '0 * * * *', reason: 'drill', runnerId: null, until: over.until ?? null, correlationId: null, auth: tenantAuth('acme'), now });

  it('a new schedule fires first at the first fire time after its creation, in the name of its creator', () => {
    expect(hourly()).toMatchObject({ nextFireAt: '2026-03-01T11:00:00.000Z', paused: false, createdBy: { sourceName: 'operator' }, creator: { keyId: 'key-of-acme' }, entityName: 'nginx.deploy' });
  });

  it('is due from its fire time on, unless paused', () => {
    const s = hourly();
    expect(isDue(s, Date.parse('2026-03-01T10:59:59.999Z'))).toBe(false);
    expect(isDue(s, Date.parse('2026-03-01T11:00:00.000Z'))).toBe(true);
    expect(isDue(paused(s, now) as ScheduleState, Date.parse('2026-03-01T12:00:00.000Z'))).toBe(false);
  });

  it('after firing late, the next fire time counts from the firing: missed times fire once', () => {
    const late = Date.parse('2026-03-01T15:30:00.000Z');
    expect(fired(hourly(), late, 'c1')).toMatchObject({ nextFireAt: '2026-03-01T16:00:00.000Z', lastFiredAt: '2026-03-01T15:30:00.000Z', lastCommandId: 'c1', lastError: null });
  });

  it('has no fire time once past until', () => {
    const s = hourly({ until: '2026-03-01T12:00:00.000Z' });
    expect(fired(s, Date.parse('2026-03-01T11:00:00.000Z'), 'c1').nextFireAt).toBeNull();
  });

  it('resumes from the next fire time after the resumption; pausing or resuming twice changes nothing', () => {
    const p = paused(hourly(), now) as ScheduleState;
    expect(p.nextFireAt).toBeNull();
    expect(paused(p, now)).toBeUndefined();
    expect(resumed(p, Date.parse('2026-03-02T08:10:00.000Z'))?.nextFireAt).toBe('2026-03-02T09:00:00.000Z');
    expect(resumed(hourly(), now)).toBeUndefined();
  });

  it('derives the same command id for the same firing, another for any other, as a UUID', () => {
    const a = firingCommandId('0b2f4b4c-0000-4000-8000-000000000001', '2026-03-01T11:00:00.000Z');
    expect(a).toBe(firingCommandId('0b2f4b4c-0000-4000-8000-000000000001', '2026-03-01T11:00:00.000Z'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(firingCommandId('0b2f4b4c-0000-4000-8000-000000000001', '2026-03-01T12:00:00.000Z')).not.toBe(a);
    expect(firingCommandId('0b2f4b4c-0000-4000-8000-000000000002', '2026-03-01T11:00:00.000Z')).not.toBe(a);
  });
});
