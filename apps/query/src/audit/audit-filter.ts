import { parseDateBound, type PrincipalType } from '@runtrail/contracts';
import { InvalidInputError } from '@runtrail/platform';
import type { AuditQueryDto } from './audit-query.dto';

/** The audit query in domain terms; `end` is already exclusive. */
export interface AuditFilter {
  start?: Date;
  endExclusive?: Date;
  action?: string;
  sourceType?: PrincipalType;
  sourceId?: string;
  sourceName?: string;
  entityType?: string;
  entityId?: string;
  success?: boolean;
}

export function toAuditFilter(q: AuditQueryDto): AuditFilter {
  const problems: string[] = [];
  const start = q.start === undefined ? undefined : parseDateBound(q.start, 'start');
  const endExclusive = q.end === undefined ? undefined : parseDateBound(q.end, 'end');
  if (q.start !== undefined && !start) problems.push('start must be yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone');
  if (q.end !== undefined && !endExclusive) problems.push('end must be yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone');
  if (start && endExclusive && start >= endExclusive) problems.push('start must not be after end');
  if (problems.length) throw new InvalidInputError(problems);
  return {
    start,
    endExclusive,
    action: q.action,
    sourceType: q.source_type as PrincipalType | undefined,
    sourceId: q.source_id,
    sourceName: q.source_name,
    entityType: q.entity_type,
    entityId: q.entity_id,
    success: q.success === undefined ? undefined : q.success === 'true',
  };
}
