import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CurrentAuth, RequireScopes, type AuthContext } from '@runtrail/auth';
import { AuditEventDto, normalizeAuditEvent, validateAuditEventBatch, type AuditEvent } from '@runtrail/contracts';
import { ApiSubmission } from '../submission/api-submission.decorator';
import { SubmitEventsUseCase, type EventKindSpec } from '../submission/submit-events.usecase';

const AUDIT_EVENTS: EventKindSpec<AuditEventDto, AuditEvent> = {
  kind: 'audit',
  validate: validateAuditEventBatch,
  normalize: normalizeAuditEvent,
  idOf: (e) => e.eventId,
};

@Controller('v1/audit-events')
export class AuditEventsController {
  constructor(private readonly submit: SubmitEventsUseCase) {}

  @Post()
  @HttpCode(202)
  @RequireScopes('events:write')
  @ApiSubmission(AuditEventDto, 'eventIds', 'Submit one audit event or a batch of 1 to 1000 (all or nothing)')
  async create(@CurrentAuth() auth: AuthContext, @Body() body: unknown): Promise<{ accepted: number; eventIds: string[] }> {
    const { accepted, ids } = await this.submit.execute(AUDIT_EVENTS, auth, body);
    return { accepted, eventIds: ids };
  }
}
