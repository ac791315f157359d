import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TENANT_ID_PATTERN } from '@runtrail/contracts';
import { IsOptional, IsString, Matches } from 'class-validator';
import { REASON_PATTERN } from '../shared/validation/printable-name';

export const MAX_ERASED_VALUE_LENGTH = 1024;

export class ErasureDto {
  @ApiProperty({ minLength: 1, maxLength: MAX_ERASED_VALUE_LENGTH, example: 'alice@example.com', description: 'The personal value to erase, exactly as it was submitted' })
  @IsString({ message: 'value must be a string' })
  // A personal value may hold any character a submission could; NUL no submission can.
  // eslint-disable-next-line no-control-regex
  @Matches(/^[^\u0000]{1,1024}$/u, { message: `value must be 1 to ${MAX_ERASED_VALUE_LENGTH} characters without NUL` })
  value!: string;

  @ApiProperty({ minLength: 1, maxLength: 1024, example: 'GDPR Art. 17 request #4711', description: 'Why; kept in the timeline (the value is not)' })
  @IsString({ message: 'reason must be a string' })
  @Matches(REASON_PATTERN, { message: 'reason must be 1 to 1024 characters without control characters' })
  reason!: string;

  @ApiPropertyOptional({ example: 'acme', pattern: TENANT_ID_PATTERN.source, description: 'The tenant to erase from: required with the root key; a tenant key may give only its own' })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId must match ${TENANT_ID_PATTERN.source}` })
  tenantId?: string;
}
