import { ApiProperty } from '@nestjs/swagger';
import { CORRELATION_ID_SCHEMA, FIELD_CHANGES_SCHEMA, type AuditRecord, type FieldChanges } from '@runtrail/contracts';

/** OpenAPI description of an audit record. */
export class AuditRecordDto implements AuditRecord {
  @ApiProperty({ description: 'Grows in the order events were stored' }) id!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty({ format: 'date-time' }) happenedAt!: string;
  @ApiProperty({ example: 'Update' }) action!: string;
  @ApiProperty({ example: '1.0' }) version!: string;
  @ApiProperty({ nullable: true, type: String }) entityId!: string | null;
  @ApiProperty({ example: 'Project' }) entityType!: string;
  @ApiProperty({ nullable: true, type: String }) entityName!: string | null;
  @ApiProperty({ enum: ['User', 'Application'] }) sourceType!: 'User' | 'Application';
  @ApiProperty({ nullable: true, type: String }) sourceId!: string | null;
  @ApiProperty() sourceName!: string;
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) context!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty(FIELD_CHANGES_SCHEMA) changes!: FieldChanges | null;
  @ApiProperty(CORRELATION_ID_SCHEMA) correlationId!: string | null;
}
