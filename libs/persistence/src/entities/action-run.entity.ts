import { Column, Entity, Index, PrimaryColumn, type IndexOptions } from 'typeorm';

/**
 * TypeORM honours `synchronize: false` on @Index (schema comparison then leaves the
 * index alone) but its IndexOptions type does not declare it.
 */
const OWNED_BY_MIGRATION = { synchronize: false } as unknown as IndexOptions;

/**
 * The merged record of one action run: the fold of its reports in stream order
 * (see the projector's fold-run-reports). Rebuilt from `action_run_reports` at will.
 */
@Entity({ name: 'action_runs' })
@Index('ix_action_runs_tenant_started', ['tenantId', 'startedAt', 'id'])
@Index('ix_action_runs_tenant_workspace', ['tenantId', 'workspaceName', 'startedAt', 'id'])
@Index('ix_action_runs_tenant_block', ['tenantId', 'blockName', 'startedAt', 'id'])
@Index('ix_action_runs_tenant_retriggered', ['tenantId', 'retriggeredFrom'])
// Covering index for deployments; its INCLUDE columns are beyond what TypeORM can
// describe, so the migration owns it and schema comparison leaves it alone.
@Index('ix_action_runs_tenant_block_deployments', ['tenantId', 'blockName', 'status', 'workspaceName', 'blockVersion'], OWNED_BY_MIGRATION)
export class ActionRunEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' })
  tenantId!: string;

  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'workspace_name', type: 'text' })
  workspaceName!: string;

  @Column({ name: 'workspace_organization', type: 'text', nullable: true })
  workspaceOrganization!: string | null;

  @Column({ name: 'block_name', type: 'text' })
  blockName!: string;

  @Column({ name: 'block_from', type: 'text', nullable: true })
  blockFrom!: string | null;

  /** `block_from` without its tag, so `block_from=` can match with or without it. */
  @Column({ name: 'block_from_base', type: 'text', nullable: true })
  blockFromBase!: string | null;

  @Column({ name: 'block_version', type: 'text', nullable: true })
  blockVersion!: string | null;

  @Column({ type: 'text' })
  action!: string;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'started_at', type: 'timestamptz', precision: 3 })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'duration_ms', type: 'bigint', nullable: true })
  durationMs!: string | null;

  @Column({ name: 'exit_code', type: 'integer', nullable: true })
  exitCode!: number | null;

  @Column({ name: 'cli_version', type: 'text', nullable: true })
  cliVersion!: string | null;

  @Column({ type: 'text', nullable: true })
  hostname!: string | null;

  @Column({ name: 'os_user', type: 'text', nullable: true })
  osUser!: string | null;

  @Column({ name: 'source_type', type: 'text' })
  sourceType!: string;

  @Column({ name: 'source_id', type: 'text', nullable: true })
  sourceId!: string | null;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  @Column({ name: 'retriggered_from', type: 'uuid', nullable: true })
  retriggeredFrom!: string | null;

  @Column({ name: 'command_id', type: 'uuid', nullable: true })
  commandId!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3 })
  receivedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt!: Date;

  /** Stream position of the run's earliest report: the id of its timeline entry. */
  @Column({ name: 'first_position', type: 'bigint' })
  firstPosition!: string;
}
