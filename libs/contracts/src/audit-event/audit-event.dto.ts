import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { PRINCIPAL_TYPES, type PrincipalType } from '../principal';
import {
  CHANGED_FIELD_PATTERN,
  CHANGES_RULES,
  IsCorrelationId,
  IsFieldChanges,
  IsStringMap,
  IsZonedDateTime,
  MAX_NAME_LENGTH,
} from '../validation/validators';
import type { FieldChanges } from './audit-event';

export const AUDIT_ACTION_PATTERN = /^[A-Z][A-Za-z]{0,31}$/;
export const ENTITY_TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const MAX_FUTURE_MS = 5 * 60_000;

export const AUDIT_CONTEXT_RULES = {
  maxKeys: 16,
  maxBytes: 4096,
  keyPattern: /^[A-Za-z0-9_.-]{1,64}$/,
  maxValueLength: { user_agent: 1024 },
  defaultMaxValueLength: 1024,
  ipFields: ['ip_address'],
};

/** The OpenAPI description of `changes`, in the request body and in the record. */
export const FIELD_CHANGES_SCHEMA = {
  type: 'object',
  nullable: true,
  maxProperties: CHANGES_RULES.maxFields,
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    properties: { before: { description: 'Any JSON value' }, after: { description: 'Any JSON value' } },
  },
  description:
    `What the event changed: field name (${CHANGED_FIELD_PATTERN.source}) to { before, after }, either side optional, ` +
    `values any JSON; at most ${CHANGES_RULES.maxFields} fields and 16 KiB (UTF-8 bytes of its JSON). Null when none.`,
  example: { replicas: { before: 2, after: 3 }, 'spec.image': { before: 'nginx:1.25', after: 'nginx:1.27' } },
} satisfies ApiPropertyOptions;

/** The OpenAPI description of `correlationId`, in request bodies and in records. */
export const CORRELATION_ID_SCHEMA = {
  type: 'string',
  nullable: true,
  minLength: 1,
  maxLength: 128,
  description: 'Ties together what belongs to one change (a CI pipeline, a change ticket, a deployment): 1 to 128 printable characters. Null when none.',
  example: 'gitlab-pipeline-48213',
} satisfies ApiPropertyOptions;

/** `POST /v1/audit-events`: a change to a business object or a login in a control plane. */
export class AuditEventDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Idempotency key; generated when absent.' })
  @IsOptional()
  @IsUUID('all')
  eventId?: string;

  @ApiProperty({ example: '2022-07-07T09:45:32.069Z', description: 'ISO-8601 with zone; at most 5 minutes ahead.' })
  @IsZonedDateTime(MAX_FUTURE_MS)
  happenedAt!: string;

  @ApiProperty({ example: 'Update', pattern: AUDIT_ACTION_PATTERN.source })
  @IsString()
  @Matches(AUDIT_ACTION_PATTERN, { message: '$property must be Create, Update, Delete, Login, Logout or another word matching ^[A-Z][A-Za-z]{0,31}$' })
  action!: string;

  @ApiPropertyOptional({ default: '1.0', maxLength: 32 })
  @IsOptional()
  @IsString()
  @Length(1, 32)
  version?: string;

  @ApiProperty({ example: 'Project', pattern: ENTITY_TYPE_PATTERN.source })
  @IsString()
  @Matches(ENTITY_TYPE_PATTERN, { message: `$property must match ${ENTITY_TYPE_PATTERN.source}` })
  entityType!: string;

  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  entityId?: string;

  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  entityName?: string;

  @ApiProperty({ enum: PRINCIPAL_TYPES })
  @IsIn(PRINCIPAL_TYPES, { message: '$property must be User or Application' })
  sourceType!: PrincipalType;

  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  sourceId?: string;

  @ApiProperty({ example: 'test@run.ai', maxLength: MAX_NAME_LENGTH })
  @IsString()
  @Length(1, MAX_NAME_LENGTH)
  sourceName!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  success?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'At most 16 keys and 4 KiB; user_agent at most 1024 characters; ip_address a valid IPv4 or IPv6 address.',
    example: { user_agent: 'Mozilla/5.0', ip_address: '10.244.0.0' },
  })
  @IsOptional()
  @IsStringMap(AUDIT_CONTEXT_RULES)
  context?: Record<string, string>;

  @ApiPropertyOptional(FIELD_CHANGES_SCHEMA)
  @IsOptional()
  @IsFieldChanges()
  changes?: FieldChanges | null;

  @ApiPropertyOptional(CORRELATION_ID_SCHEMA)
  @IsOptional()
  @IsCorrelationId()
  correlationId?: string | null;
}
