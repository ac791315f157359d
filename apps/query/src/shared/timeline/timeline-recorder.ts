import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { AuditEvent } from '@runtrail/contracts';
import { EventPublisher } from '@runtrail/messaging';
import { Clock } from '@runtrail/platform';

export interface OwnAct {
  /** The tenant of the key, runner or run acted on. */
  tenantId: string;
  action: 'Create' | 'Update' | 'Delete' | 'Retrigger' | 'Pause' | 'Resume' | 'Erase';
  entityType: 'ApiKey' | 'Runner' | 'ActionRun' | 'ViewerToken' | 'Schedule' | 'PersonalData' | 'Stream' | 'Retention';
  entityId: string;
  entityName: string;
  context?: Record<string, string>;
  /** What the act belongs to (a re-trigger carries its command's); none by default. */
  correlationId?: string | null;
  /** Defaults to a new id; an act that has its own (a command) passes it. */
  eventId?: string;
  at?: string;
  /** False for an act that was attempted and failed (a schedule's firing that made no command). */
  success?: boolean;
}

/**
 * The service's own administrative acts go into the tenant's timeline like every
 * other event, with the acting key's principal as source (the root key appears as
 * Application "root"): through the stream, so they are kept and projected the same way.
 */
@Injectable()
export class TimelineRecorder {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
  ) {}

  async record(auth: AuthContext, act: OwnAct): Promise<void> {
    const at = act.at ?? this.clock.iso();
    const event: AuditEvent = {
      eventId: act.eventId ?? randomUUID(),
      happenedAt: at,
      action: act.action,
      version: '1.0',
      entityType: act.entityType,
      entityId: act.entityId,
      entityName: act.entityName,
      sourceType: auth.principal.type,
      sourceId: auth.principal.id,
      sourceName: auth.principal.name,
      success: act.success ?? true,
      context: act.context ?? {},
      changes: null,
      correlationId: act.correlationId ?? null,
    };
    await this.publisher.publishEvents({ kind: 'audit', tenantId: act.tenantId, submitter: auth.principal, receivedAt: at, act: true }, [event]);
  }
}
