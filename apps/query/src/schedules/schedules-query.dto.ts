import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PageParamsDto } from '../shared/paging/paging-params.dto';

/** Filters of `GET /v1/schedules`. */
export class ScheduleFiltersDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'run_id must be a UUID' }) run_id?: string;
}

/** `GET /v1/schedules`: the filter plus paging. */
export class SchedulesQueryDto extends IntersectionType(ScheduleFiltersDto, PageParamsDto) {}
