import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, IntersectionType, type ApiPropertyOptions } from '@nestjs/swagger';
import { MAX_NAME_LENGTH, RUN_STATUSES, SAFE_NAME_PATTERN } from '@runtrail/contracts';
import { RUN_STATS_GROUPS, RUN_STATS_INTERVALS } from '@runtrail/persistence';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PagingParamsDto } from '../shared/paging/paging-params.dto';
import { CorrelationIdFilter } from '../shared/validation/correlation-filters';

const DATE_HELP = 'yyyy-MM-dd or yyyy-MM-ddThh:mm:ss (UTC) or ISO-8601 with zone';
const SAFE = { message: `$property must match ${SAFE_NAME_PATTERN.source}` };
const STATUS = `(${RUN_STATUSES.join('|')})`;
const STATUS_LIST = new RegExp(`^${STATUS}(,${STATUS})*$`);
const STATUS_LIST_MESSAGE = `status must be a comma-separated list of ${RUN_STATUSES.join(', ')}`;

/** An optional `status` filter: a comma-separated list of run statuses. */
export function RunStatusList(doc: ApiPropertyOptions) {
  return applyDecorators(ApiPropertyOptional(doc), IsOptional(), Matches(STATUS_LIST, { message: STATUS_LIST_MESSAGE }));
}

/** The filters runs, stats and deployments share. */
export class RunSelectionDto {
  @ApiPropertyOptional({ example: 'acme-prod' })
  @IsOptional()
  @Matches(SAFE_NAME_PATTERN, SAFE)
  workspace?: string;

  @ApiPropertyOptional({ example: 'nginx' })
  @IsOptional()
  @Matches(SAFE_NAME_PATTERN, SAFE)
  block?: string;

  @ApiPropertyOptional({ description: 'Matches the block reference with or without its tag', example: 'cargo.ayedo.cloud/ayedo/infra/nginx' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  block_from?: string;

  @ApiPropertyOptional({ example: '0.3.1' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  block_version?: string;
}

/** Filters of `GET /v1/action-runs` and `GET /v1/action-runs/stats` (docs/api.md#get-v1-action-runs, docs/api.md#get-v1-action-runs-stats). */
export class RunFiltersDto extends RunSelectionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  organization?: string;

  @ApiPropertyOptional({ example: 'deploy' })
  @IsOptional()
  @Matches(SAFE_NAME_PATTERN, SAFE)
  action?: string;

  @RunStatusList({ description: `Comma-separated: ${RUN_STATUSES.join(', ')}`, example: 'failed,aborted' })
  status?: string;

  @ApiPropertyOptional({ example: '0' })
  @IsOptional()
  @Matches(/^-?\d{1,10}$/, { message: 'exit_code must be an integer' })
  exit_code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  hostname?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  os_user?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  cli_version?: string;

  @ApiPropertyOptional({ description: "The submitting key's principal name" })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  source_name?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'retriggered_from must be a UUID' })
  retriggered_from?: string;

  @CorrelationIdFilter()
  correlation_id?: string;

  @ApiPropertyOptional({ description: `On startedAt, inclusive. ${DATE_HELP}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  start?: string;

  @ApiPropertyOptional({ description: `On startedAt, inclusive; a date covers the whole day. ${DATE_HELP}` })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  end?: string;
}

/** `GET /v1/action-runs`: filters plus paging and download. */
export class ActionRunQueryDto extends IntersectionType(RunFiltersDto, PagingParamsDto) {}

/** `GET /v1/action-runs/stats`: the run filters plus the bucket interval and grouping. */
export class RunStatsQueryDto extends RunFiltersDto {
  @ApiPropertyOptional({ enum: RUN_STATS_INTERVALS, default: 'day' })
  @IsOptional()
  @IsIn(RUN_STATS_INTERVALS, { message: `interval must be one of ${RUN_STATS_INTERVALS.join(', ')}` })
  interval?: (typeof RUN_STATS_INTERVALS)[number];

  @ApiPropertyOptional({ enum: RUN_STATS_GROUPS })
  @IsOptional()
  @IsIn(RUN_STATS_GROUPS, { message: `group_by must be one of ${RUN_STATS_GROUPS.join(', ')}` })
  group_by?: (typeof RUN_STATS_GROUPS)[number];
}
