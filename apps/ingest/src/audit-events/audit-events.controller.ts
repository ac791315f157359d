import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { AuditEventDto, normalizeAuditEvent, type AuditEvent } from '@runtrail/contracts';
import { SubmitEventsUseCase, type EventKindSpec } from '../submission/submit-events.usecase';

const AUDIT_EVENTS: EventKindSpec<AuditEventDto, AuditEvent> = {
  kind: 'audit',
  dto: AuditEventDto,
  normalize: normalizeAuditEvent,
  idOf: (e) => e.eventId,
};

@ApiBearerAuth()
@ApiExtraModels(AuditEventDto)
@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly submit: SubmitEventsUseCase) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('events:write')
  @ApiOperation({ summary: 'Submit one audit event or a batch of 1 to 1000 (all or nothing)' })
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(AuditEventDto) },
        { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: getSchemaPath(AuditEventDto) } },
      ],
    },
  })
  @ApiResponse({
    status: 202,
    description: 'Stored durably in the stream',
    schema: {
      type: 'object',
      properties: { accepted: { type: 'integer' }, eventIds: { type: 'array', items: { type: 'string', format: 'uuid' } } },
    },
  })
  @ApiResponse({ status: 400, description: 'Invalid input; messages name the item index and field' })
  @ApiResponse({ status: 401, description: 'Missing, unknown or revoked key' })
  @ApiResponse({ status: 403, description: 'Key lacks events:write' })
  @ApiResponse({ status: 413, description: 'Body over 1 MiB' })
  @ApiResponse({ status: 415, description: 'Body is not JSON' })
  @ApiResponse({ status: 503, description: 'The event store is unreachable; retry after Retry-After' })
  async create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<{ accepted: number; eventIds: string[] }> {
    const { accepted, ids } = await this.submit.execute(AUDIT_EVENTS, auth, body);
    return { accepted, eventIds: ids };
  }
}
