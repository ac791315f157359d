import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The audit timeline projection. `id` is derived from the stream position
 * (`streamSeq * 1024 + index in message`), so it grows in stream order and a
 * table rebuilt from the stream gets exactly the same ids.
 */
@Entity({ name: 'audit_events' })
@Index('uq_audit_events_tenant_event', ['tenantId', 'eventId'], { unique: true })
@Index('ix_audit_events_tenant_time', ['tenantId', 'happenedAt', 'id'])
@Index('ix_audit_events_tenant_entity', ['tenantId', 'entityType', 'entityId', 'happenedAt', 'id'])
@Index('ix_audit_events_tenant_source', ['tenantId', 'sourceName', 'happenedAt', 'id'])
export class AuditEventEntity {
  @PrimaryColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ name: 'happened_at', type: 'timestamptz', precision: 3 })
  happenedAt!: Date;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ name: 'entity_type', type: 'text' })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'text', nullable: true })
  entityId!: string | null;

  @Column({ name: 'entity_name', type: 'text', nullable: true })
  entityName!: string | null;

  @Column({ name: 'source_type', type: 'text' })
  sourceType!: string;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId!: string | null;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  @Column({ type: 'boolean' })
  success!: boolean;

  @Column({ type: 'jsonb' })
  context!: Record<string, string>;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt!: Date;

  /** The API key's principal that submitted the event (may differ from `source`). */
  @Column({ name: 'submitted_by', type: 'jsonb' })
  submittedBy!: { type: string; id: string; name: string };

  @Column({ name: 'stream_seq', type: 'bigint' })
  streamSeq!: string;
}
