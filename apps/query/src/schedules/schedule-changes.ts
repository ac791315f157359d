import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { scheduleView, type ScheduleView } from '@runtrail/contracts';
import { Clock, NotFoundError } from '@runtrail/platform';
import { visibleSchedule } from './schedule-access';
import { ScheduleEvents } from './schedule-events';
import type { ScheduleState } from './schedule-store';
import { ScheduleStore } from './schedule-store';

/**
 * A caller's change of a schedule (pause, resume): applied by compare-and-set on the state
 * as it is now, and recorded when it changed something; a change that changes nothing (pausing
 * a paused schedule) answers the schedule as it is.
 */
@Injectable()
export class ScheduleChanges {
  constructor(
    private readonly store: ScheduleStore,
    private readonly events: ScheduleEvents,
    private readonly clock: Clock,
  ) {}

  async apply(auth: AuthContext, scheduleId: string, action: 'Pause' | 'Resume', change: (s: ScheduleState, now: number) => ScheduleState | undefined): Promise<ScheduleView> {
    const id = scheduleId.toLowerCase();
    visibleSchedule(auth, scheduleId, await this.store.get(id));
    const outcome = await this.store.change(id, (s) => change(s, this.clock.now()));
    if (!outcome) throw new NotFoundError(`schedule ${scheduleId} not found`);
    if (outcome.changed) await this.events.acted(auth, action, outcome.result);
    return scheduleView(outcome.result.value);
  }
}
