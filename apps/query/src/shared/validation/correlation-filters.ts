import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { CHANGED_FIELD_PATTERN, CORRELATION_ID_MESSAGE, CORRELATION_ID_PATTERN } from '@runtrail/contracts';
import { IsOptional, Matches } from 'class-validator';

/** The `correlation_id` filter: exact match, held to the rule of the field itself. */
export function CorrelationIdFilter() {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Exact match on correlationId (1 to 128 printable characters)', maxLength: 128, example: 'gitlab-pipeline-48213' }),
    IsOptional(),
    Matches(CORRELATION_ID_PATTERN, { message: `correlation_id ${CORRELATION_ID_MESSAGE}` }),
  );
}

/** The `changed_field` filter: records whose changes name this field. */
export function ChangedFieldFilter() {
  return applyDecorators(
    ApiPropertyOptional({ description: 'Records whose changes name this field', pattern: CHANGED_FIELD_PATTERN.source, example: 'replicas' }),
    IsOptional(),
    Matches(CHANGED_FIELD_PATTERN, { message: `changed_field must match ${CHANGED_FIELD_PATTERN.source}` }),
  );
}
