import { NotFoundError } from '@runtrail/platform';
import { tenantAuth } from '../../../../test/fixtures';
import { hourlyScheduleWorld } from '../../../../test/schedule-world';

describe('GetSchedule', () => {
  const auth = tenantAuth('acme');

  it('reads a schedule of the caller’s tenant; another tenant’s, or no id at all, is not found', async () => {
    const { view, get } = await hourlyScheduleWorld();
    await expect(get.execute({ auth, scheduleId: view.id.toUpperCase() })).resolves.toEqual(view);
    await expect(get.execute({ auth: tenantAuth('globex'), scheduleId: view.id })).rejects.toThrow(new NotFoundError(`schedule ${view.id} not found`));
    await expect(get.execute({ auth, scheduleId: 'schedule.>' })).rejects.toThrow(NotFoundError);
  });
});
