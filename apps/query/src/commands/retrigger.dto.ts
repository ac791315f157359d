import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { COMMAND_STATUSES } from '@runtrail/contracts';
import { IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { PageParamsDto } from '../shared/paging/paging-params.dto';

export class RetriggerDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'A runner of the tenant; by default an online runner serving the workspace' })
  @IsOptional()
  @IsUUID('all', { message: 'runnerId must be a UUID' })
  runnerId?: string;

  @ApiPropertyOptional({ maxLength: 1024, example: 'registry timeout' })
  @IsOptional()
  @Matches(/^[^\p{Cc}]{1,1024}$/u, { message: 'reason must be 1 to 1024 printable characters' })
  reason?: string;
}

/** What a runner reports about a command it accepted. */
export class CommandStatusDto {
  @ApiProperty({ enum: ['running', 'succeeded', 'failed'] })
  @IsIn(['running', 'succeeded', 'failed'], { message: 'status must be running, succeeded or failed' })
  status!: 'running' | 'succeeded' | 'failed';

  @ApiPropertyOptional({ type: 'integer', minimum: -2147483648, maximum: 2147483647, description: "The re-triggered run's exit code" })
  @IsOptional()
  @IsInt()
  @Min(-2147483648)
  @Max(2147483647)
  exitCode?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The run the re-trigger produced' })
  @IsOptional()
  @IsUUID('all', { message: 'newRunId must be a UUID' })
  newRunId?: string;
}

/** Filters of `GET /v1/commands`. */
export class CommandListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'run_id must be a UUID' }) run_id?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'runner_id must be a UUID' }) runner_id?: string;
  @ApiPropertyOptional({ enum: COMMAND_STATUSES })
  @IsOptional()
  @IsIn(COMMAND_STATUSES, { message: `status must be one of ${COMMAND_STATUSES.join(', ')}` })
  status?: (typeof COMMAND_STATUSES)[number];
}

/** `GET /v1/commands`: the filters plus paging. */
export class CommandsQueryDto extends IntersectionType(CommandListQueryDto, PageParamsDto) {}
