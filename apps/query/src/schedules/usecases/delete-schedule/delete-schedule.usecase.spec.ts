import { NotFoundError } from '@runtrail/platform';
import { tenantAuth } from '../../../../test/fixtures';
import { hourlyScheduleWorld } from '../../../../test/schedule-world';

describe('DeleteSchedule', () => {
  const auth = tenantAuth('acme');

  it('deletes: the last fact says deleted, the timeline says Delete, and it is gone and never fires', async () => {
    const { w, view, get, remove, pause } = await hourlyScheduleWorld();
    const stale = await w.store.get(view.id);
    await remove.execute({ auth, scheduleId: view.id });
    expect(w.facts.at(-1)).toMatchObject({ id: view.id, deleted: true });
    expect(w.acts.at(-1)).toMatchObject({ action: 'Delete', entityId: view.id });
    await expect(get.execute({ auth, scheduleId: view.id })).rejects.toThrow(NotFoundError);
    await expect(pause.execute({ auth, scheduleId: view.id })).rejects.toThrow(NotFoundError);
    await expect(remove.execute({ auth, scheduleId: view.id })).rejects.toThrow(NotFoundError);
    // A replica that read it before the deletion loses its compare-and-set.
    if (!stale) throw new Error('the schedule was stored');
    await expect(w.store.update(stale, stale.value)).rejects.toThrow(/changed meanwhile/);
    w.clock.set('2026-03-01T11:00:00.000Z');
    await expect(w.replica().execute()).resolves.toEqual({ fired: 0, failed: 0 });
  });
});
