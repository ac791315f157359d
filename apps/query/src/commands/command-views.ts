import { ApiProperty } from '@nestjs/swagger';
import { COMMAND_STATUSES, type CommandStatus, type CommandView } from '@runtrail/contracts';

/** OpenAPI description of a command (docs/api.md#get-v1-commands-id). */
export class CommandViewDto implements CommandView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) runnerId!: string;
  @ApiProperty({ enum: COMMAND_STATUSES }) status!: CommandView['status'];
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ type: 'object', properties: { sourceType: { type: 'string' }, sourceId: { type: 'string', nullable: true }, sourceName: { type: 'string' } } })
  requestedBy!: CommandView['requestedBy'];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) newRunId!: string | null;
  @ApiProperty({ nullable: true, type: Number }) exitCode!: number | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The schedule whose firing created the command; null for a re-trigger by hand' })
  scheduleId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the service failed the command (its runner went silent past COMMAND_LEASE_SECONDS); null otherwise, and when the runner reported the failure itself',
  })
  error!: string | null;
}

/** The answer to a re-trigger. */
export class RetriggerResultView {
  @ApiProperty({ format: 'uuid' }) commandId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'uuid' }) runnerId!: string;
  @ApiProperty({ enum: ['dispatched', 'queued'] }) status!: CommandStatus;
}
