import { withoutTag, type ActionRunRecord, type ActionRunReport, type Principal, type PrincipalType, type RunStatus } from '@runtrail/contracts';
import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * The merged record of one action run: the fold of its reports in stream order (the
 * projector's fold-run-reports), rebuilt from `action_run_reports` at will.
 */
export const actionRunsTable = defineTable(
  'action_runs',
  {
    tenantId: col.text().primary(),
    id: col.uuid().primary(),
    workspaceName: col.text(),
    workspaceOrganization: col.text().nullable(),
    blockName: col.text(),
    blockFrom: col.text().nullable(),
    /** `block_from` without its tag, so `block_from=` can match with or without it. */
    blockFromBase: col.text().nullable(),
    blockVersion: col.text().nullable(),
    action: col.text(),
    status: col.text<RunStatus>(),
    startedAt: col.timestamp(),
    finishedAt: col.timestamp().nullable(),
    durationMs: col.bigint().nullable(),
    exitCode: col.integer().nullable(),
    cliVersion: col.text().nullable(),
    hostname: col.text().nullable(),
    osUser: col.text().nullable(),
    sourceType: col.text<PrincipalType>(),
    sourceId: col.text().nullable(),
    sourceName: col.text(),
    retriggeredFrom: col.uuid().nullable(),
    commandId: col.uuid().nullable(),
    /**
     * When the run's first report arrived: the partition key (monthly, docs/adr/0026-time-partitions.md),
     * so part of the primary key; a run is still one row, the projector sees to that.
     */
    receivedAt: col.timestamp().primary(),
    updatedAt: col.timestamp(),
    correlationId: col.text().nullable(),
    /** Stream position of the run's earliest report: the id of its timeline entry. */
    firstPosition: col.position(),
  },
  [
    { name: 'ix_action_runs_tenant_started', columns: ['tenantId', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_workspace', columns: ['tenantId', 'workspaceName', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_block', columns: ['tenantId', 'blockName', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_retriggered', columns: ['tenantId', 'retriggeredFrom'] },
    // One per filter with values that can be rare (migration 1764750000000).
    { name: 'ix_action_runs_tenant_organization', columns: ['tenantId', 'workspaceOrganization', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_version', columns: ['tenantId', 'blockVersion', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_from_base', columns: ['tenantId', 'blockFromBase', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_action', columns: ['tenantId', 'action', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_exit_code', columns: ['tenantId', 'exitCode', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_hostname', columns: ['tenantId', 'hostname', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_os_user', columns: ['tenantId', 'osUser', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_cli_version', columns: ['tenantId', 'cliVersion', 'startedAt', 'id'] },
    { name: 'ix_action_runs_tenant_source_name', columns: ['tenantId', 'sourceName', 'startedAt', 'id'] },
    {
      name: 'ix_action_runs_tenant_correlation',
      columns: ['tenantId', 'correlationId', 'startedAt', 'id'],
      where: '(correlation_id IS NOT NULL)',
    },
    // Covering index for deployments; its INCLUDE columns are beyond what TypeORM can
    // describe, so the migration owns it and the schema comparison leaves it alone.
    {
      name: 'ix_action_runs_tenant_block_deployments',
      columns: ['tenantId', 'blockName', 'status', 'workspaceName', 'blockVersion'],
      ownedByMigration: true,
    },
  ],
);

export type ActionRunRow = RowOf<typeof actionRunsTable.columns>;

export function toActionRunRecord(r: ActionRunRow): ActionRunRecord {
  return {
    id: r.id,
    tenantId: r.tenantId,
    workspace: { name: r.workspaceName, organization: r.workspaceOrganization },
    block: { name: r.blockName, from: r.blockFrom, version: r.blockVersion },
    action: r.action,
    status: r.status,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    durationMs: r.durationMs,
    exitCode: r.exitCode,
    cliVersion: r.cliVersion,
    hostname: r.hostname,
    osUser: r.osUser,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    sourceName: r.sourceName,
    retriggeredFrom: r.retriggeredFrom,
    commandId: r.commandId,
    receivedAt: r.receivedAt,
    updatedAt: r.updatedAt,
    correlationId: r.correlationId,
  };
}

/** A run's merged report with what the server knows of it: whose key sent it first, when, and where. */
export interface MergedRun {
  tenantId: string;
  run: ActionRunReport;
  source: Principal;
  receivedAt: string;
  updatedAt: string;
  firstPosition: string;
}

export function toActionRunRow({ tenantId, run, source, receivedAt, updatedAt, firstPosition }: MergedRun): ActionRunRow {
  return {
    tenantId,
    id: run.id,
    workspaceName: run.workspace.name,
    workspaceOrganization: run.workspace.organization,
    blockName: run.block.name,
    blockFrom: run.block.from,
    blockFromBase: run.block.from === null ? null : withoutTag(run.block.from),
    blockVersion: run.block.version,
    action: run.action,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    exitCode: run.exitCode,
    cliVersion: run.cliVersion,
    hostname: run.hostname,
    osUser: run.osUser,
    sourceType: source.type,
    sourceId: source.id,
    sourceName: source.name,
    retriggeredFrom: run.retriggeredFrom,
    commandId: run.commandId,
    receivedAt,
    updatedAt,
    // Reports stored before correlation ids existed carry none.
    correlationId: run.correlationId ?? null,
    firstPosition,
  };
}
