import type { CommandStatus, CommandView } from '@runtrail/contracts';
import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * Re-trigger commands as last seen in the stream: each state change is a fact carrying
 * the authoritative state's KV revision, and the row keeps the highest revision, so
 * arrival order does not matter (ADR 0007).
 */
export const commandsTable = defineTable(
  'commands',
  {
    tenantId: col.text().primary(),
    id: col.uuid().primary(),
    runId: col.uuid(),
    runnerId: col.uuid(),
    status: col.text<CommandStatus>(),
    reason: col.text().nullable(),
    requestedBy: col.json<CommandView['requestedBy']>(),
    requestedAt: col.timestamp(),
    updatedAt: col.timestamp(),
    expiresAt: col.timestamp(),
    newRunId: col.uuid().nullable(),
    exitCode: col.integer().nullable(),
    scheduleId: col.uuid().nullable(),
    revision: col.bigint(),
    error: col.text().nullable(),
  },
  [
    { name: 'ix_commands_tenant_requested', columns: ['tenantId', 'requestedAt', 'id'] },
    { name: 'ix_commands_tenant_run', columns: ['tenantId', 'runId'] },
    { name: 'ix_commands_tenant_runner', columns: ['tenantId', 'runnerId', 'requestedAt'] },
  ],
);

export type CommandRow = RowOf<typeof commandsTable.columns>;
