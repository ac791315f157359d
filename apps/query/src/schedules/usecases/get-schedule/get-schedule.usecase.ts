import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { scheduleView, type ScheduleView } from '@runtrail/contracts';
import { visibleSchedule } from '../../schedule-access';
import { ScheduleStore } from '../../schedule-store';

export interface GetScheduleCommand {
  auth: AuthContext;
  scheduleId: string;
}

/** One schedule from its authoritative state, current before the projector catches up. */
@Injectable()
export class GetSchedule {
  constructor(private readonly store: ScheduleStore) {}

  async execute({ auth, scheduleId }: GetScheduleCommand): Promise<ScheduleView> {
    return scheduleView(visibleSchedule(auth, scheduleId, await this.store.get(scheduleId.toLowerCase())).value);
  }
}
