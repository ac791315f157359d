import type { StreamFilter } from '@runtrail/contracts';
import type { AuditFilter } from '@runtrail/persistence';
import { InvalidInputError } from '@runtrail/platform';
import { toAuditFilter } from '../audit/audit-filter';
import { AuditFilterParamsDto } from '../audit/audit-query.dto';
import { parseQuery } from '../shared/validation/parse-input';

/**
 * A stream's filter, checked as `GET /v1/audit` checks its query (the same names, values and
 * messages, each prefixed `filter.`), and in domain terms for the reads of delivery and lag.
 */
export function parseStreamFilter(raw: unknown): { filter: StreamFilter; audit: AuditFilter } {
  if (raw === undefined || raw === null) return { filter: {}, audit: {} };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidInputError(['filter must be an object of GET /v1/audit filters, e.g. {"entity_type": "ActionRun", "success": "false"}']);
  try {
    const params = parseQuery(AuditFilterParamsDto, raw as Record<string, unknown>);
    const filter = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as StreamFilter;
    return { filter, audit: toAuditFilter(params, {}) };
  } catch (err) {
    if (err instanceof InvalidInputError) throw new InvalidInputError(err.messages.map((m) => `filter.${m.replace('is not a known query parameter', 'is not a known filter')}`));
    throw err;
  }
}

/** The filter of a stored stream, which was checked when it was created. */
export function storedAuditFilter(filter: StreamFilter): AuditFilter {
  return parseStreamFilter(filter).audit;
}
