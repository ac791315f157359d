import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { ActionRunDto, normalizeActionRun, type ActionRunReport } from '@runtrail/contracts';
import { SubmitEventsUseCase, type EventKindSpec, type SubmitResult } from '../submission/submit-events.usecase';

const ACTION_RUNS: EventKindSpec<ActionRunDto, ActionRunReport> = {
  kind: 'run',
  dto: ActionRunDto,
  normalize: normalizeActionRun,
  idOf: (r) => r.id,
};

@ApiBearerAuth()
@ApiExtraModels(ActionRunDto)
@Controller('v1/action-runs')
export class ActionRunsController {
  constructor(private readonly submit: SubmitEventsUseCase) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('events:write')
  @ApiOperation({
    summary: 'Report action runs: one report or a batch of 1 to 1000 (all or nothing)',
    description:
      'A CLI reports a run when it starts (status running) and again when it ends, with the same id; reports ' +
      'of one run merge into one record whatever order they arrive in.',
  })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ActionRunDto) },
        { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: getSchemaPath(ActionRunDto) } },
      ],
    },
  })
  @ApiResponse({
    status: 202,
    description: 'Stored durably in the stream',
    schema: {
      type: 'object',
      properties: { accepted: { type: 'integer' }, ids: { type: 'array', items: { type: 'string', format: 'uuid' } } },
    },
  })
  @ApiResponse({ status: 400, description: 'Invalid input; messages name the item index and field' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked key' })
  @ApiResponse({ status: 403, description: 'Key lacks events:write' })
  @ApiResponse({ status: 503, description: 'The event store is unreachable; retry after Retry-After' })
  create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<SubmitResult> {
    return this.submit.execute(ACTION_RUNS, auth, body);
  }
}
