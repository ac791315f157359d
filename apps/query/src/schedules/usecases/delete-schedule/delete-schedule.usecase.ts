import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { Clock, NotFoundError } from '@runtrail/platform';
import { visibleSchedule } from '../../schedule-access';
import { ScheduleEvents } from '../../schedule-events';
import { deleted } from '../../schedule-rules';
import { ScheduleStore } from '../../schedule-store';

export interface DeleteScheduleCommand {
  auth: AuthContext;
  scheduleId: string;
}

/**
 * Ends a schedule: its last write marks it deleted (so a replica about to fire it loses its
 * compare-and-set, and its fact orders after every other), then the entry is removed.
 */
@Injectable()
export class DeleteSchedule {
  constructor(
    private readonly store: ScheduleStore,
    private readonly events: ScheduleEvents,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, scheduleId }: DeleteScheduleCommand): Promise<void> {
    const id = scheduleId.toLowerCase();
    visibleSchedule(auth, scheduleId, await this.store.get(id));
    const outcome = await this.store.change(id, (s) => deleted(s, this.clock.now()));
    if (!outcome) throw new NotFoundError(`schedule ${scheduleId} not found`);
    await this.events.acted(auth, 'Delete', outcome.result);
    await this.store.remove(id);
  }
}
