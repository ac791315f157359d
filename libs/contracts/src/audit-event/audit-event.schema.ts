import { PRINCIPAL_TYPES } from '../principal';
import { compiledBatchValidator } from '../validation/compiled-batch';
import { compileSchema, optional } from '../validation/compiled-schema';
import { checkChanges, checkStringMap, isCorrelationId, isRecentZonedDateTime, MAX_NAME_LENGTH } from '../validation/validators';
import { AUDIT_ACTION_PATTERN, AUDIT_CONTEXT_RULES, AuditEventDto, ENTITY_TYPE_PATTERN, MAX_FUTURE_MS } from './audit-event.dto';

const name = (min = 0) => ({ type: 'string', cvLength: [min, MAX_NAME_LENGTH] });

/** AuditEventDto as JSON Schema, rule for rule (see compileSchema). */
export const AUDIT_EVENT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['happenedAt', 'action', 'entityType', 'sourceType', 'sourceName'],
  properties: {
    eventId: optional({ type: 'string', cvUuid: true }),
    happenedAt: { check: 'happenedAt' },
    action: { type: 'string', pattern: AUDIT_ACTION_PATTERN.source },
    version: optional({ type: 'string', cvLength: [1, 32] }),
    entityType: { type: 'string', pattern: ENTITY_TYPE_PATTERN.source },
    entityId: optional(name()),
    entityName: optional(name()),
    sourceType: { enum: [...PRINCIPAL_TYPES] },
    sourceId: optional(name()),
    sourceName: name(1),
    success: optional({ type: 'boolean' }),
    context: optional({ check: 'context' }),
    changes: optional({ check: 'changes' }),
    correlationId: optional({ check: 'correlationId' }),
  },
};

/** `POST /v1/audit-events` bodies, validated as validateBatch(AuditEventDto) does, faster when they are valid. */
export const validateAuditEventBatch = compiledBatchValidator(
  AuditEventDto,
  compileSchema(AUDIT_EVENT_SCHEMA, {
    happenedAt: (v) => isRecentZonedDateTime(v, MAX_FUTURE_MS),
    context: (v) => checkStringMap(v, AUDIT_CONTEXT_RULES) === undefined,
    changes: (v) => checkChanges(v) === undefined,
    correlationId: isCorrelationId,
  }),
);
