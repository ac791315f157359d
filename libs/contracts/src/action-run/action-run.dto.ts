import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  registerDecorator,
  type ValidationArguments,
} from 'class-validator';
import { parseZonedDateTime } from '../validation/dates';
import { IsCorrelationId, IsZonedDateTime, MAX_NAME_LENGTH } from '../validation/validators';
import { CORRELATION_ID_SCHEMA } from '../audit-event/audit-event.dto';
import { RUN_STATUSES, type RunStatus } from './action-run';

/** Block, action and workspace names (docs/api.md#post-v1-action-runs). */
export const SAFE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const SAFE_NAME_MESSAGE = `$property must match ${SAFE_NAME_PATTERN.source}`;
export const RUN_MAX_FUTURE_MS = 5 * 60_000;

export class WorkspaceDto {
  @ApiProperty({ example: 'acme-prod', pattern: SAFE_NAME_PATTERN.source })
  @IsString()
  @Matches(SAFE_NAME_PATTERN, { message: SAFE_NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ example: 'acme', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  organization?: string;
}

export class BlockDto {
  @ApiProperty({ example: 'nginx', pattern: SAFE_NAME_PATTERN.source })
  @IsString()
  @Matches(SAFE_NAME_PATTERN, { message: SAFE_NAME_MESSAGE })
  name!: string;

  @ApiPropertyOptional({ example: 'cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(/^\S+$/, { message: '$property must not contain white space' })
  @MaxLength(MAX_NAME_LENGTH)
  from?: string;

  @ApiPropertyOptional({ example: '0.3.1', description: 'Defaults to the tag of `from`', maxLength: 128 })
  @IsOptional()
  @IsString()
  @Matches(/^\S{1,128}$/, { message: '$property must be 1 to 128 characters without white space' })
  version?: string;
}

/** Whether `finishedAt` is not before `startedAt`; true when either is not a valid time (that is reported on its own). */
export function finishedNotBeforeStart(finishedAt: unknown, startedAt: unknown): boolean {
  const start = parseZonedDateTime(String(startedAt));
  const end = typeof finishedAt === 'string' ? parseZonedDateTime(finishedAt) : undefined;
  return !start || !end || end.getTime() >= start.getTime();
}

/** Whether `finishedAt` is checked at all: it may be left out while the run is running. */
export function finishedAtApplies(report: { status?: unknown; finishedAt?: unknown }): boolean {
  return report.status !== 'running' || report.finishedAt !== undefined;
}

/** `finishedAt` must not be before `startedAt`. */
function NotBeforeStart(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBeforeStart',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must not be before startedAt' },
      validator: {
        validate: (value: unknown, args: ValidationArguments) => finishedNotBeforeStart(value, (args.object as ActionRunDto).startedAt),
      },
    });
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** What is wrong with an exit code for the report's status, or undefined. */
export function exitCodeProblem(exitCode: unknown, status: unknown): string | undefined {
  const present = exitCode !== undefined && exitCode !== null;
  if (present && (!Number.isInteger(exitCode) || (exitCode as number) < INT32.min || (exitCode as number) > INT32.max)) {
    return 'exitCode must be a 32-bit integer';
  }
  if (status === 'successful' && exitCode !== 0) return 'exitCode must be 0 for a successful run';
  if (status === 'failed' && !present) return 'exitCode is required for a failed run';
  if (status === 'running' && present) return 'exitCode must be absent while the run is running';
  return undefined;
}

/** Exit code rules: 0 for successful, present for failed, absent while running. */
function ExitCodeFitsStatus(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'exitCodeFitsStatus',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: (args) => exitCodeProblem(args.value, (args.object as ActionRunDto).status) ?? 'exitCode is invalid',
      },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          exitCodeProblem(value, (args.object as ActionRunDto).status) === undefined,
      },
    });
}

/** `POST /v1/action-runs`: one report of one execution of `BLOCK ACTION`. */
export class ActionRunDto {
  @ApiProperty({ format: 'uuid', description: 'Chosen by the CLI when the run starts; the same in every report' })
  @IsUUID('all')
  id!: string;

  @ApiProperty({ type: WorkspaceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => WorkspaceDto)
  workspace!: WorkspaceDto;

  @ApiProperty({ type: BlockDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BlockDto)
  block!: BlockDto;

  @ApiProperty({ example: 'deploy', pattern: SAFE_NAME_PATTERN.source })
  @IsString()
  @Matches(SAFE_NAME_PATTERN, { message: SAFE_NAME_MESSAGE })
  action!: string;

  @ApiProperty({ enum: RUN_STATUSES })
  @IsIn(RUN_STATUSES, { message: `$property must be one of ${RUN_STATUSES.join(', ')}` })
  status!: RunStatus;

  @ApiProperty({ example: '2026-11-20T21:17:00.000Z' })
  @IsZonedDateTime(RUN_MAX_FUTURE_MS)
  startedAt!: string;

  @ApiPropertyOptional({ description: 'Required unless running; not before startedAt' })
  @ValidateIf((o: ActionRunDto) => finishedAtApplies(o))
  @IsZonedDateTime(RUN_MAX_FUTURE_MS, {
    message: '$property must be an ISO-8601 date-time with a zone (required unless running), at most 5 minutes in the future',
  })
  @NotBeforeStart()
  finishedAt?: string;

  @ApiPropertyOptional({ minimum: 0, description: 'Derived from the two times when absent' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  durationMs?: number;

  @ApiPropertyOptional({ description: 'Required for successful (0) and failed; absent while running' })
  @ExitCodeFitsStatus()
  exitCode?: number;

  @ApiPropertyOptional({ example: '0.18.3', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  cliVersion?: string;

  @ApiPropertyOptional({ example: 'gitlab-runner-42', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  hostname?: string;

  @ApiPropertyOptional({ example: 'gitlab-runner', maxLength: MAX_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  osUser?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Set by a runner when the run answers a re-trigger' })
  @IsOptional()
  @IsUUID('all')
  retriggeredFrom?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Set by a runner when the run answers a re-trigger' })
  @IsOptional()
  @IsUUID('all')
  commandId?: string;

  @ApiPropertyOptional({
    ...CORRELATION_ID_SCHEMA,
    description: `${CORRELATION_ID_SCHEMA.description} The first report that gives one sets it; later reports do not change it.`,
  })
  @IsOptional()
  @IsCorrelationId()
  correlationId?: string | null;
}
