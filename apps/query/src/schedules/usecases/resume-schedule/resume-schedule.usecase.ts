import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { ScheduleView } from '@runtrail/contracts';
import { ScheduleChanges } from '../../schedule-changes';
import { resumed } from '../../schedule-rules';

export interface ResumeScheduleCommand {
  auth: AuthContext;
  scheduleId: string;
}

/** Fires a paused schedule again from its next fire time on (what was missed while paused does not fire). */
@Injectable()
export class ResumeSchedule {
  constructor(private readonly changes: ScheduleChanges) {}

  execute({ auth, scheduleId }: ResumeScheduleCommand): Promise<ScheduleView> {
    return this.changes.apply(auth, scheduleId, 'Resume', resumed);
  }
}
