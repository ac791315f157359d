import { Module } from '@nestjs/common';
import { NatsClient } from '@runtrail/messaging';
import { ActionRunsModule } from '../action-runs/action-runs.module';
import { CommandsModule } from '../commands/commands.module';
import { QueryConfig } from '../shared/config/query.config';
import { PagingModule } from '../shared/paging/paging.module';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { ScheduleChanges } from './schedule-changes';
import { ScheduleEvents } from './schedule-events';
import { ScheduleStore } from './schedule-store';
import { ScheduleTicker } from './schedule-ticker';
import { ScheduleRepository } from './schedule.repository';
import { SchedulesController } from './schedules.controller';
import { CreateSchedule } from './usecases/create-schedule/create-schedule.usecase';
import { DeleteSchedule } from './usecases/delete-schedule/delete-schedule.usecase';
import { FireDueSchedules } from './usecases/fire-due-schedules/fire-due-schedules.usecase';
import { GetSchedule } from './usecases/get-schedule/get-schedule.usecase';
import { PauseSchedule } from './usecases/pause-schedule/pause-schedule.usecase';
import { ResumeSchedule } from './usecases/resume-schedule/resume-schedule.usecase';

/** Schedules (docs/api.md#schedules, ADR 0014): stored runs re-triggered on a cron schedule, fired by every replica's ticker at most once. */
@Module({
  imports: [ActionRunsModule, CommandsModule, PagingModule, TimelineModule],
  controllers: [SchedulesController],
  providers: [
    {
      provide: ScheduleStore,
      inject: [NatsClient, QueryConfig],
      useFactory: (client: NatsClient, config: QueryConfig) => ScheduleStore.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
    },
    ScheduleRepository,
    ScheduleEvents,
    ScheduleChanges,
    CreateSchedule,
    GetSchedule,
    PauseSchedule,
    ResumeSchedule,
    DeleteSchedule,
    FireDueSchedules,
    ScheduleTicker,
  ],
})
export class SchedulesModule {}
