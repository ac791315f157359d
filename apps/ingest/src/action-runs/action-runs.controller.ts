import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ActionRunDto, normalizeActionRun, validateActionRunBatch, type ActionRunReport } from '@runtrail/contracts';
import { ApiSubmission } from '../submission/api-submission.decorator';
import { SubmitEventsUseCase, type EventKindSpec, type SubmitResult } from '../submission/submit-events.usecase';

const ACTION_RUNS: EventKindSpec<ActionRunDto, ActionRunReport> = {
  kind: 'run',
  validate: validateActionRunBatch,
  normalize: normalizeActionRun,
  idOf: (r) => r.id,
};

@Controller('v1/action-runs')
export class ActionRunsController {
  constructor(private readonly submit: SubmitEventsUseCase) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('events:write')
  @ApiSubmission(
    ActionRunDto,
    'ids',
    'Report action runs: one report or a batch of 1 to 1000 (all or nothing)',
    'A CLI reports a run when it starts (status running) and again when it ends, with the same id; reports ' +
      'of one run merge into one record whatever order they arrive in.',
  )
  create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<SubmitResult> {
    return this.submit.execute(ACTION_RUNS, auth, body);
  }
}
