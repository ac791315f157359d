import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { BatchValidation, EventKind } from '@runtrail/contracts';
import { SubmissionGroupCommit } from '@runtrail/messaging';
import { ForbiddenError, InvalidInputError } from '@runtrail/platform';

/** How one kind of fact is validated, normalised and identified. */
export interface EventKindSpec<Dto extends object, Event> {
  kind: EventKind;
  /** The whole body, all or nothing: validateBatch of the DTO, or its compiled equal (libs/contracts). */
  validate(body: unknown): BatchValidation<Dto>;
  normalize(dto: Dto): Event;
  idOf(event: Event): string;
}

export interface SubmitResult {
  accepted: number;
  ids: string[];
}

/**
 * The gateway's one use case: validate the whole batch (all or nothing), stamp the
 * tenant and the submitting principal from the key, and store it durably. It
 * resolves only once JetStream acknowledged the write (of this submission, or of the
 * group of small ones it was stored with).
 */
@Injectable()
export class SubmitEventsUseCase {
  constructor(private readonly store: SubmissionGroupCommit) {}

  async execute<Dto extends object, Event>(spec: EventKindSpec<Dto, Event>, auth: AuthContext, body: unknown): Promise<SubmitResult> {
    if (auth.tenantId === null) {
      throw new ForbiddenError('the root key spans every tenant and cannot submit events; use a tenant key');
    }
    const result = spec.validate(body);
    if (!result.ok) throw new InvalidInputError(result.messages);
    const events = result.items.map((dto) => spec.normalize(dto));
    await this.store.submit({ kind: spec.kind, tenantId: auth.tenantId, submitter: auth.principal, receivedAt: new Date().toISOString() }, events);
    return { accepted: events.length, ids: events.map(spec.idOf) };
  }
}
