import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { ScheduleView } from '@runtrail/contracts';
import { ScheduleChanges } from '../../schedule-changes';
import { paused } from '../../schedule-rules';

export interface PauseScheduleCommand {
  auth: AuthContext;
  scheduleId: string;
}

/** Stops a schedule's firings until it is resumed; pausing a paused schedule changes nothing. */
@Injectable()
export class PauseSchedule {
  constructor(private readonly changes: ScheduleChanges) {}

  execute({ auth, scheduleId }: PauseScheduleCommand): Promise<ScheduleView> {
    return this.changes.apply(auth, scheduleId, 'Pause', paused);
  }
}
