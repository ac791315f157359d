import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COMMAND_STATUSES, CORRELATION_ID_SCHEMA, RUN_STATUSES, type ActionRunRecord, type CommandStatus } from '@runtrail/contracts';

class WorkspaceView {
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) organization!: string | null;
}

class BlockView {
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty({ nullable: true, type: String }) version!: string | null;
}

/** OpenAPI description of an action run (docs/api.md#get-v1-action-runs). */
export class ActionRunView implements ActionRunRecord {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ type: WorkspaceView }) workspace!: WorkspaceView;
  @ApiProperty({ type: BlockView }) block!: BlockView;
  @ApiProperty() action!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: ActionRunRecord['status'];
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) durationMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) exitCode!: number | null;
  @ApiProperty({ nullable: true, type: String }) cliVersion!: string | null;
  @ApiProperty({ nullable: true, type: String }) hostname!: string | null;
  @ApiProperty({ nullable: true, type: String }) osUser!: string | null;
  @ApiProperty({ enum: ['User', 'Application'] }) sourceType!: ActionRunRecord['sourceType'];
  @ApiProperty({ nullable: true, type: String }) sourceId!: string | null;
  @ApiProperty() sourceName!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) retriggeredFrom!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) commandId!: string | null;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty(CORRELATION_ID_SCHEMA) correlationId!: string | null;
}

/** One re-trigger of a run, as projected. */
export class RetriggerView {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ enum: COMMAND_STATUSES }) status!: CommandStatus;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) newRunId!: string | null;
}

export class ActionRunDetailView extends ActionRunView {
  @ApiProperty({ type: RetriggerView, isArray: true }) retriggers!: RetriggerView[];
}

export class RunStatsBucketView {
  @ApiProperty({ format: 'date-time', description: 'Start of the UTC bucket (weeks start on Monday)' }) bucketStart!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Present with group_by' }) group?: string | null;
  @ApiProperty() total!: number;
  @ApiProperty() successful!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() aborted!: number;
  @ApiProperty() running!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Over finished runs' }) avgDurationMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p50DurationMs!: number | null;
  @ApiProperty({ nullable: true, type: Number }) p95DurationMs!: number | null;
}
