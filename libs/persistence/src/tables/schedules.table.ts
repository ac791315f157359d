import type { ScheduleCreator } from '@runtrail/contracts';
import { col, defineTable, type RowOf } from '../schema/define-table';

/**
 * Schedules as last seen in the stream, for their list: each change is a fact carrying the
 * authoritative state's KV revision, and the row keeps the highest revision, so arrival
 * order does not matter. A deleted schedule stays as a row marked `deleted` (its last fact),
 * so a late fact of an older revision cannot bring it back.
 */
export const schedulesTable = defineTable(
  'schedules',
  {
    tenantId: col.text().primary(),
    id: col.uuid().primary(),
    runId: col.uuid(),
    cron: col.text(),
    timezone: col.text(),
    reason: col.text(),
    runnerId: col.uuid().nullable(),
    until: col.timestamp().nullable(),
    nextFireAt: col.timestamp().nullable(),
    paused: col.boolean(),
    createdAt: col.timestamp(),
    correlationId: col.text().nullable(),
    createdBy: col.json<ScheduleCreator>(),
    lastFiredAt: col.timestamp().nullable(),
    lastCommandId: col.uuid().nullable(),
    lastError: col.text().nullable(),
    deleted: col.boolean(),
    revision: col.bigint(),
  },
  [
    { name: 'ix_schedules_tenant_created', columns: ['tenantId', 'createdAt', 'id'] },
    { name: 'ix_schedules_tenant_run', columns: ['tenantId', 'runId'] },
  ],
);

export type ScheduleRow = RowOf<typeof schedulesTable.columns>;
