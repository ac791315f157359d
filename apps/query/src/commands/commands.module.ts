import { Module } from '@nestjs/common';
import { NatsClient } from '@runtrail/messaging';
import { ActionRunsModule } from '../action-runs/action-runs.module';
import { CommandSigningModule } from '../shared/command-signing/command-signing.module';
import { QueryConfig } from '../shared/config/query.config';
import { PagingModule } from '../shared/paging/paging.module';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { CommandEvents } from './command-events';
import { CommandLeaseTicker } from './command-lease-ticker';
import { CommandStore } from './command-store';
import { CommandTransitions } from './command-transitions';
import { CommandRepository } from './command.repository';
import { CommandsController } from './commands.controller';
import { RunnerChoice } from './runner-choice';
import { AcceptCommand } from './usecases/accept-command/accept-command.usecase';
import { ExpireCommandLeases } from './usecases/expire-command-leases/expire-command-leases.usecase';
import { GetCommand } from './usecases/get-command/get-command.usecase';
import { ReportCommandStatus } from './usecases/report-command-status/report-command-status.usecase';
import { RetriggerRun } from './usecases/retrigger-run/retrigger-run.usecase';

/** Re-trigger commands (ADR 0007): requested by a key, delivered to a runner, followed through their lifecycle, and failed when their runner stops heartbeating. */
@Module({
  imports: [ActionRunsModule, CommandSigningModule, PagingModule, TimelineModule],
  controllers: [CommandsController],
  providers: [
    {
      provide: CommandStore,
      inject: [NatsClient, QueryConfig],
      useFactory: (client: NatsClient, config: QueryConfig) => CommandStore.open(client, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
    },
    CommandRepository,
    CommandEvents,
    CommandTransitions,
    RunnerChoice,
    RetriggerRun,
    GetCommand,
    AcceptCommand,
    ReportCommandStatus,
    ExpireCommandLeases,
    CommandLeaseTicker,
  ],
  // A schedule's firing is a re-trigger, made by the same code.
  exports: [RetriggerRun],
})
export class CommandsModule {}
