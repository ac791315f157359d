import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Re-trigger commands as last seen in the stream: each state change is a fact carrying
 * the authoritative state's KV revision, and the row keeps the highest revision, so
 * arrival order does not matter (ADR 0007).
 */
@Entity({ name: 'commands' })
@Index('ix_commands_tenant_requested', ['tenantId', 'requestedAt', 'id'])
@Index('ix_commands_tenant_run', ['tenantId', 'runId'])
@Index('ix_commands_tenant_runner', ['tenantId', 'runnerId', 'requestedAt'])
export class CommandEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'runner_id', type: 'uuid' })
  runnerId!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'requested_by', type: 'jsonb' })
  requestedBy!: { sourceType: string; sourceId: string | null; sourceName: string };

  @Column({ name: 'requested_at', type: 'timestamptz', precision: 3 })
  requestedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'new_run_id', type: 'uuid', nullable: true })
  newRunId!: string | null;

  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode!: number | null;

  @Column({ type: 'bigint' })
  revision!: string;
}
