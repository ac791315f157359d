import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { AuditEventDto, eventSubject, normalizeAuditEvent, validateBatch } from '@runtrail/contracts';
import { EventPublisher } from '@runtrail/messaging';
import { ForbiddenError, InvalidInputError } from '@runtrail/platform';
import { IngestConfig } from '../config/ingest.config';
import { toPublishRequests } from './envelope-chunks';

export interface SubmitResult {
  accepted: number;
  eventIds: string[];
}

@Injectable()
export class SubmitAuditEventsUseCase {
  constructor(
    private readonly publisher: EventPublisher,
    @Inject(IngestConfig) private readonly config: IngestConfig,
  ) {}

  /** Validates the whole batch, stamps tenant and submitter, and stores it durably. */
  async execute(auth: AuthContext, body: unknown): Promise<SubmitResult> {
    if (auth.tenantId === null) {
      throw new ForbiddenError('the root key spans every tenant and cannot submit events; use a tenant key');
    }
    const result = validateBatch(AuditEventDto, body);
    if (!result.ok) throw new InvalidInputError(result.messages);
    const events = result.items.map(normalizeAuditEvent);
    const subject = eventSubject(this.config.RUNTRAIL_NAMESPACE, auth.tenantId, 'audit');
    const requests = toPublishRequests(
      subject,
      { kind: 'audit', tenantId: auth.tenantId, submitter: auth.principal, receivedAt: new Date().toISOString() },
      events,
    );
    await this.publisher.publishAll(requests);
    return { accepted: events.length, eventIds: events.map((e) => e.eventId) };
  }
}
