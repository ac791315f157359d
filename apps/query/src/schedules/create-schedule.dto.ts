import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CorrelationIdField, ReasonField, RunnerIdField } from '../commands/command-request-fields';
import { MAX_CRON_LENGTH } from '@runtrail/cron';

/** The body of `POST /v1/schedules`; cron, timezone and until are checked by the use case. */
export class CreateScheduleDto {
  @ApiProperty({ format: 'uuid', description: 'The stored run to repeat' })
  @IsUUID('all', { message: 'runId must be a UUID' })
  runId!: string;

  @ApiProperty({ maxLength: MAX_CRON_LENGTH, example: '0 3 * * 0', description: 'Five fields: minute hour day-of-month month day-of-week' })
  @IsString({ message: 'cron must be a string of five fields' })
  @MaxLength(MAX_CRON_LENGTH, { message: `cron must be at most ${MAX_CRON_LENGTH} characters` })
  cron!: string;

  @ApiPropertyOptional({ default: 'UTC', example: 'Europe/Berlin', description: 'An IANA time zone name' })
  @IsOptional()
  @IsString({ message: 'timezone must be an IANA time zone name such as Europe/Berlin, or UTC' })
  @MaxLength(64, { message: 'timezone must be an IANA time zone name such as Europe/Berlin, or UTC' })
  timezone?: string;

  @ReasonField({ required: true })
  reason!: string;

  @RunnerIdField()
  runnerId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'ISO-8601 with zone, in the future; no firing at or after it' })
  @IsOptional()
  @IsString({ message: 'until must be an ISO-8601 date-time with zone, e.g. 2027-01-01T00:00:00Z' })
  @MaxLength(64, { message: 'until must be an ISO-8601 date-time with zone, e.g. 2027-01-01T00:00:00Z' })
  until?: string;

  @CorrelationIdField()
  correlationId?: string;
}
