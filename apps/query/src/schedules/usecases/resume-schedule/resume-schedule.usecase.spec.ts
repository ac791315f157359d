import { tenantAuth } from '../../../../test/fixtures';
import { hourlyScheduleWorld } from '../../../../test/schedule-world';

describe('ResumeSchedule', () => {
  const auth = tenantAuth('acme');

  it('resumes from the next fire time after the resumption; resuming a running schedule records nothing', async () => {
    const { w, view, pause, resume } = await hourlyScheduleWorld();
    await resume.execute({ auth, scheduleId: view.id });
    await pause.execute({ auth, scheduleId: view.id });
    w.clock.set('2026-03-02T08:10:00.000Z');
    await expect(resume.execute({ auth, scheduleId: view.id })).resolves.toMatchObject({ paused: false, nextFireAt: '2026-03-02T09:00:00.000Z' });
    expect(w.acts.map((a) => a.action)).toEqual(['Create', 'Pause', 'Resume']);
    expect(w.acts[2]).toMatchObject({ entityType: 'Schedule', entityId: view.id, context: { run_id: w.run.id, cron: '0 * * * *', timezone: 'UTC' } });
  });
});
