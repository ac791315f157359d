import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { COMMAND_STATUSES } from '@runtrail/contracts';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageParamsDto } from '../shared/paging/paging-params.dto';

/** Filters of `GET /v1/commands`. */
export class CommandFiltersDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'run_id must be a UUID' }) run_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'runner_id must be a UUID' }) runner_id?: string;
  @ApiPropertyOptional({ enum: COMMAND_STATUSES })
  @IsOptional()
  @IsIn(COMMAND_STATUSES, { message: `status must be one of ${COMMAND_STATUSES.join(', ')}` })
  status?: (typeof COMMAND_STATUSES)[number];
}

/** `GET /v1/commands`: the filters plus paging. */
export class CommandsQueryDto extends IntersectionType(CommandFiltersDto, PageParamsDto) {}
