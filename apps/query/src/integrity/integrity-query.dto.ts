import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { TENANT_ID_PATTERN } from '@runtrail/contracts';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageParamsDto } from '../shared/paging/paging-params.dto';

/** Up to 16 digits; `treeNumber` checks the value against Number.MAX_SAFE_INTEGER. */
const DIGITS = /^\d{1,16}$/;
const DATE_FORMS = 'yyyy-MM-dd or yyyy-MM-ddThh:mm:ss (UTC; one-digit month/day/hour allowed) or ISO-8601 with zone';

export const sizeMessage = (name: string) => `${name} must be a tree size: an integer from 1 to ${Number.MAX_SAFE_INTEGER}`;
export const indexMessage = (name: string) => `${name} must be an entry index: an integer from 0 to ${Number.MAX_SAFE_INTEGER}`;

/** `tenant`: which tenant's log; every integrity route takes it. */
export class LogTenantDto {
  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description: 'Whose log: required with the root key; a tenant key reads its own and may only name that one',
  })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, { message: `tenant must match ${TENANT_ID_PATTERN.source}` })
  tenant?: string;
}

/** `GET /v1/integrity/checkpoints`: size or issue-time bounds, paging. */
export class CheckpointsQueryDto extends IntersectionType(LogTenantDto, PageParamsDto) {
  @ApiPropertyOptional({ description: `Inclusive. An integer: the least tree size; a date: the earliest issuedAt (${DATE_FORMS})`, example: '1' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  start?: string;

  @ApiPropertyOptional({ description: `Inclusive. An integer: the greatest tree size; a date: the latest issuedAt, covering the whole unit it names (${DATE_FORMS})` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  end?: string;
}

/** An index range of the log (entries, verify, export): `start` inclusive, `end` exclusive. */
export class LogRangeQueryDto extends LogTenantDto {
  @ApiPropertyOptional({ description: 'The first index, inclusive; default 0', example: '0' })
  @IsOptional()
  @Matches(DIGITS, { message: indexMessage('start') })
  start?: string;

  @ApiPropertyOptional({ description: "The index after the last, exclusive; default the log's size" })
  @IsOptional()
  @Matches(DIGITS, { message: indexMessage('end') })
  end?: string;
}

/** `GET /v1/integrity/entries`: an index range, a ref, paging. */
export class EntriesQueryDto extends IntersectionType(LogRangeQueryDto, PageParamsDto) {
  @ApiPropertyOptional({ format: 'uuid', description: "An audit event's eventId, or an action run's id (all its reports)" })
  @IsOptional()
  @IsUUID('all', { message: 'ref must be a UUID' })
  ref?: string;
}

/** `GET /v1/integrity/proof`. */
export class ProofQueryDto extends LogTenantDto {
  @ApiProperty({ format: 'uuid', description: "The entry's entryId" })
  @IsUUID('all', { message: 'entry_id must be a UUID' })
  entry_id!: string;

  @ApiPropertyOptional({ description: 'A checkpointed tree size; default: the latest checkpoint' })
  @IsOptional()
  @Matches(DIGITS, { message: sizeMessage('size') })
  size?: string;
}

/** `GET /v1/integrity/consistency`. */
export class ConsistencyQueryDto extends LogTenantDto {
  @ApiProperty({ description: 'The older checkpointed tree size' })
  @Matches(DIGITS, { message: sizeMessage('from') })
  from!: string;

  @ApiProperty({ description: 'The newer checkpointed tree size, at least from' })
  @Matches(DIGITS, { message: sizeMessage('to') })
  to!: string;
}

