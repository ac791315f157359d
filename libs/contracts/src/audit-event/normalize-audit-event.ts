import { randomUUID } from 'node:crypto';
import { parseZonedDateTime } from '../validation/dates';
import type { AuditEvent } from './audit-event';
import type { AuditEventDto } from './audit-event.dto';

/** Fills defaults and puts times in UTC with milliseconds, once, at the gateway. */
export function normalizeAuditEvent(dto: AuditEventDto): AuditEvent {
  const happenedAt = parseZonedDateTime(dto.happenedAt);
  if (!happenedAt) throw new Error('normalizeAuditEvent called with an unvalidated event');
  return {
    eventId: (dto.eventId ?? randomUUID()).toLowerCase(),
    happenedAt: happenedAt.toISOString(),
    action: dto.action,
    version: dto.version ?? '1.0',
    entityType: dto.entityType,
    entityId: dto.entityId ?? null,
    entityName: dto.entityName ?? null,
    sourceType: dto.sourceType,
    sourceId: dto.sourceId ?? null,
    sourceName: dto.sourceName,
    success: dto.success ?? true,
    context: dto.context ?? {},
    changes: dto.changes ?? null,
    correlationId: dto.correlationId ?? null,
  };
}
