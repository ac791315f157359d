import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsCorrelationId } from '@runtrail/contracts';
import { IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { REASON_PATTERN } from '../shared/validation/printable-name';

/**
 * The fields a re-trigger and a schedule both take, validated and described once: the
 * schedule's firings are re-triggers and pass them on as given.
 */

export function RunnerIdField() {
  return applyDecorators(
    ApiPropertyOptional({ format: 'uuid', description: 'A runner of the tenant; by default an online runner serving the workspace' }),
    IsOptional(),
    IsUUID('all', { message: 'runnerId must be a UUID' }),
  );
}

export function ReasonField({ required }: { required: boolean }) {
  const matches = Matches(REASON_PATTERN, { message: 'reason must be 1 to 1024 printable characters' });
  return required
    ? applyDecorators(ApiProperty({ maxLength: 1024, example: 'weekly restore drill' }), IsString({ message: 'reason must be 1 to 1024 printable characters' }), matches)
    : applyDecorators(ApiPropertyOptional({ maxLength: 1024, example: 'registry timeout' }), IsOptional(), matches);
}

export function CorrelationIdField() {
  return applyDecorators(
    ApiPropertyOptional({ maxLength: 128, example: 'pipeline-4711', description: 'Carried by the new run; without it, the original run’s correlationId' }),
    IsOptional(),
    IsCorrelationId(),
  );
}
