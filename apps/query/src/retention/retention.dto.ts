import { ApiPropertyOptional } from '@nestjs/swagger';
import { TENANT_ID_PATTERN } from '@runtrail/contracts';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const MAX_RETENTION_DAYS = 36_500;

/** The tenant a root key names; a tenant key may name only its own. */
class TenantChoice {
  @ApiPropertyOptional({ example: 'acme', pattern: TENANT_ID_PATTERN.source, description: 'Required with the root key; a tenant key may give only its own' })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId must match ${TENANT_ID_PATTERN.source}` })
  tenantId?: string;
}

/** `PUT /v1/retention`: a field left out keeps its value. */
export class SetRetentionDto extends TenantChoice {
  @ApiPropertyOptional({ minimum: 0, maximum: MAX_RETENTION_DAYS, example: 365, description: 'Entries received more than this many days ago are removed; 0 keeps them forever (the default)' })
  @IsOptional()
  @IsInt({ message: 'days must be a whole number' })
  @Min(0, { message: `days must be 0 to ${MAX_RETENTION_DAYS}` })
  @Max(MAX_RETENTION_DAYS, { message: `days must be 0 to ${MAX_RETENTION_DAYS}` })
  days?: number;

  @ApiPropertyOptional({ description: 'While true, retention removes nothing (erasure still works)' })
  @IsOptional()
  @IsBoolean({ message: 'legalHold must be true or false' })
  legalHold?: boolean;
}

/** `POST /v1/retention/apply`. */
export class ApplyRetentionDto extends TenantChoice {}

/** The query of the three routes: the root key may name the tenant there too (the body's `tenantId` wins). */
export class RetentionQueryDto extends TenantChoice {}
