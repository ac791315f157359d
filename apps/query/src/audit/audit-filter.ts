import type { AuthContext } from '@runtrail/auth';
import type { PrincipalType } from '@runtrail/contracts';
import type { AuditFilter } from '@runtrail/persistence';
import { InvalidInputError } from '@runtrail/platform';
import { parseDateRange } from '../shared/validation/date-range';
import type { AuditFilterParamsDto } from './audit-query.dto';

/**
 * The filter of a timeline read: the query's parameters, and for a viewer token its
 * source restriction as an extra condition (pages and downloads share this filter, so
 * neither can leave it out). The tenant is bound by the read itself.
 */
export function toAuditFilter(q: AuditFilterParamsDto, auth: Pick<AuthContext, 'viewer'>): AuditFilter {
  const problems: string[] = [];
  const { start, endExclusive } = parseDateRange(q.start, q.end, problems);
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
    correlationId: q.correlation_id,
    changedField: q.changed_field,
    onlySourceId: auth.viewer?.sourceId ?? undefined,
  };
}
