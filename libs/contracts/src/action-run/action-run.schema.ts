import { compiledBatchValidator } from '../validation/compiled-batch';
import { compileSchema, optional } from '../validation/compiled-schema';
import { isCorrelationId, isRecentZonedDateTime, MAX_NAME_LENGTH } from '../validation/validators';
import { RUN_STATUSES } from './action-run';
import { ActionRunDto, exitCodeProblem, finishedAtApplies, finishedNotBeforeStart, RUN_MAX_FUTURE_MS, SAFE_NAME_PATTERN } from './action-run.dto';

const name = () => ({ type: 'string', cvLength: [0, MAX_NAME_LENGTH] });
const safeName = { type: 'string', pattern: SAFE_NAME_PATTERN.source };
const uuid = { type: 'string', cvUuid: true };

/** ActionRunDto (with WorkspaceDto and BlockDto) as JSON Schema, rule for rule (see compileSchema). */
export const ACTION_RUN_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'workspace', 'block', 'action', 'status', 'startedAt'],
  properties: {
    id: uuid,
    workspace: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: { name: safeName, organization: optional(name()) },
    },
    block: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: safeName,
        from: optional({ type: 'string', pattern: '^\\S+$', cvLength: [0, MAX_NAME_LENGTH] }),
        version: optional({ type: 'string', pattern: '^\\S{1,128}$' }),
      },
    },
    action: safeName,
    status: { enum: [...RUN_STATUSES] },
    startedAt: { check: 'time' },
    // finishedAt and exitCode depend on other fields: the object's `report` check.
    finishedAt: true,
    durationMs: optional({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    exitCode: true,
    cliVersion: optional(name()),
    hostname: optional(name()),
    osUser: optional(name()),
    retriggeredFrom: optional(uuid),
    commandId: optional(uuid),
    correlationId: optional({ check: 'correlationId' }),
  },
  check: 'report',
};

const isTime = (v: unknown) => isRecentZonedDateTime(v, RUN_MAX_FUTURE_MS);

/** `POST /v1/action-runs` bodies, validated as validateBatch(ActionRunDto) does, faster when they are valid. */
export const validateActionRunBatch = compiledBatchValidator(
  ActionRunDto,
  compileSchema(ACTION_RUN_SCHEMA, {
    time: isTime,
    correlationId: isCorrelationId,
    report: (v) => {
      const r = v as Record<string, unknown>;
      const finishedOk = !finishedAtApplies(r) || (isTime(r.finishedAt) && finishedNotBeforeStart(r.finishedAt, r.startedAt));
      return finishedOk && exitCodeProblem(r.exitCode, r.status) === undefined;
    },
  }),
);
