import { Module } from '@nestjs/common';
import { PagingModule } from '../shared/paging/paging.module';
import { ActionRunRepository } from './action-run.repository';
import { ActionRunsController } from './action-runs.controller';
import { GetActionRun } from './usecases/get-action-run/get-action-run.usecase';

/** Action runs: the list and its download, stats, and one run with its re-triggers. */
@Module({
  imports: [PagingModule],
  controllers: [ActionRunsController],
  providers: [ActionRunRepository, GetActionRun],
  // Re-triggering reads the run it repeats.
  exports: [ActionRunRepository],
})
export class ActionRunsModule {}
