import { Module } from '@nestjs/common';
import { CommandSigningModule } from '../shared/command-signing/command-signing.module';
import { PagingModule } from '../shared/paging/paging.module';
import { TimelineModule } from '../shared/timeline/timeline.module';
import { RunnerEvents } from './runner-events';
import { RunnerSessionController } from './runner-session.controller';
import { RunnersController } from './runners.controller';
import { GetRunnerSession } from './usecases/get-runner-session/get-runner-session.usecase';
import { ListRunners } from './usecases/list-runners/list-runners.usecase';
import { RecordHeartbeat } from './usecases/record-heartbeat/record-heartbeat.usecase';
import { RegisterRunner } from './usecases/register-runner/register-runner.usecase';
import { RemoveRunner } from './usecases/remove-runner/remove-runner.usecase';

/** The runner registry (ADR 0007) and the runner agent's own session and heartbeat. */
@Module({
  imports: [CommandSigningModule, PagingModule, TimelineModule],
  controllers: [RunnersController, RunnerSessionController],
  providers: [RunnerEvents, RegisterRunner, ListRunners, RemoveRunner, GetRunnerSession, RecordHeartbeat],
})
export class RunnersModule {}
