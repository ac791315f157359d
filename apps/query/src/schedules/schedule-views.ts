import { ApiProperty } from '@nestjs/swagger';
import type { ScheduleView } from '@runtrail/contracts';

/** OpenAPI description of a schedule (docs/api.md#schedules). */
export class ScheduleViewDto implements ScheduleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ example: '0 3 * * 0' }) cron!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) runnerId!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) until!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Null while paused or once past until' }) nextFireAt!: string | null;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) correlationId!: string | null;
  @ApiProperty({ type: 'object', properties: { sourceType: { type: 'string' }, sourceId: { type: 'string', nullable: true }, sourceName: { type: 'string' } } })
  createdBy!: ScheduleView['createdBy'];
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastFiredAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) lastCommandId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last firing made no command' }) lastError!: string | null;
}
