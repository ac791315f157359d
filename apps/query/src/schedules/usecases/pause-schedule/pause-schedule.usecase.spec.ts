import { NotFoundError } from '@runtrail/platform';
import { tenantAuth } from '../../../../test/fixtures';
import { hourlyScheduleWorld } from '../../../../test/schedule-world';

describe('PauseSchedule', () => {
  const auth = tenantAuth('acme');

  it('pauses (no fire time) once: pausing again answers the schedule and records nothing', async () => {
    const { w, view, pause } = await hourlyScheduleWorld();
    await expect(pause.execute({ auth, scheduleId: view.id })).resolves.toMatchObject({ paused: true, nextFireAt: null });
    await expect(pause.execute({ auth, scheduleId: view.id })).resolves.toMatchObject({ paused: true });
    expect(w.acts.map((a) => a.action)).toEqual(['Create', 'Pause']);
    expect(w.facts.map((f) => f.paused)).toEqual([false, true]);
  });

  it('does not let another tenant pause, resume or delete', async () => {
    const { view, pause, resume, remove } = await hourlyScheduleWorld();
    const globex = tenantAuth('globex');
    await expect(pause.execute({ auth: globex, scheduleId: view.id })).rejects.toThrow(NotFoundError);
    await expect(resume.execute({ auth: globex, scheduleId: view.id })).rejects.toThrow(NotFoundError);
    await expect(remove.execute({ auth: globex, scheduleId: view.id })).rejects.toThrow(NotFoundError);
  });
});
