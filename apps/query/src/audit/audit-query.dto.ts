import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { AUDIT_ACTION_PATTERN, ENTITY_TYPE_PATTERN, MAX_NAME_LENGTH, PRINCIPAL_TYPES } from '@runtrail/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PagingParamsDto } from '../shared/paging/paging-params.dto';
import { ChangedFieldFilter, CorrelationIdFilter } from '../shared/validation/correlation-filters';

const DATE_HELP = 'yyyy-MM-dd or yyyy-MM-ddThh:mm:ss (UTC; one-digit month/day/hour allowed) or ISO-8601 with zone';

/** The filters of `GET /v1/audit` (docs/api.md#get-v1-audit), also a stream's `filter`. Values match exactly. */
export class AuditFilterParamsDto {
  @ApiPropertyOptional({ description: `On happenedAt, inclusive. ${DATE_HELP}`, example: '2022-1-1' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  start?: string;

  @ApiPropertyOptional({ description: `On happenedAt, inclusive; a date covers the whole day. ${DATE_HELP}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  end?: string;

  @ApiPropertyOptional({ example: 'Update' })
  @IsOptional()
  @Matches(AUDIT_ACTION_PATTERN, { message: 'action must be a word such as Create, Update, Delete, Login' })
  action?: string;

  @ApiPropertyOptional({ enum: PRINCIPAL_TYPES })
  @IsOptional()
  @IsIn(PRINCIPAL_TYPES, { message: 'source_type must be User or Application' })
  source_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  source_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  source_name?: string;

  @ApiPropertyOptional({ example: 'Project' })
  @IsOptional()
  @Matches(ENTITY_TYPE_PATTERN, { message: `entity_type must match ${ENTITY_TYPE_PATTERN.source}` })
  entity_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  entity_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'success must be true or false' })
  success?: string;

  @CorrelationIdFilter()
  correlation_id?: string;

  @ChangedFieldFilter()
  changed_field?: string;
}

/** Query parameters of `GET /v1/audit`: its filters, paging and download. */
export class AuditQueryDto extends IntersectionType(AuditFilterParamsDto, PagingParamsDto) {}
