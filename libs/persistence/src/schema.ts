import { AuditTimeline1763712000000 } from './migrations/1763712000000-audit-timeline';
import { ActionRuns1763800000000 } from './migrations/1763800000000-action-runs';
import { DeploymentsIndex1763900000000 } from './migrations/1763900000000-deployments-index';
import { Commands1764000000000 } from './migrations/1764000000000-commands';
import { RowLevelSecurity1764100000000 } from './migrations/1764100000000-row-level-security';
import { ChangesAndCorrelation1764200000000 } from './migrations/1764200000000-changes-and-correlation';
import { Schedules1764300000000 } from './migrations/1764300000000-schedules';
import { IntegrityLog1764400000000 } from './migrations/1764400000000-integrity-log';
import { DeadLetterReplays1764500000000 } from './migrations/1764500000000-dead-letter-replays';
import { CommandErrors1764600000000 } from './migrations/1764600000000-command-errors';
import { RunAggregates1764700000000 } from './migrations/1764700000000-run-aggregates';
import { FilterIndexes1764750000000 } from './migrations/1764750000000-filter-indexes';
import { TimePartitions1764800000000 } from './migrations/1764800000000-time-partitions';
import { RunDurations1764900000000 } from './migrations/1764900000000-run-durations';
import { DeploymentCounts1765000000000 } from './migrations/1765000000000-deployment-counts';
import { Retention1765100000000 } from './migrations/1765100000000-retention';
import { auditEventKeysTable } from './tables/audit-event-keys.table';
import { actionRunReportsTable } from './tables/action-run-reports.table';
import { actionRunsTable } from './tables/action-runs.table';
import { auditEventsTable } from './tables/audit-events.table';
import { commandsTable } from './tables/commands.table';
import { deadLettersTable, projectorCheckpointsTable } from './tables/projector-tables';
import { schedulesTable } from './tables/schedules.table';
import {
  erasedValuesTable,
  integrityCheckpointsTable,
  integrityEntriesTable,
  integrityLogsTable,
  integrityNodesTable,
  integrityRemovalsTable,
} from './tables/integrity.tables';

/** Every table, described once (tables/); TypeORM sees them as entity schemas. */
export const TABLES = [auditEventsTable, auditEventKeysTable, projectorCheckpointsTable, deadLettersTable, actionRunsTable, actionRunReportsTable, commandsTable, schedulesTable,
  integrityLogsTable, integrityEntriesTable, integrityNodesTable, integrityCheckpointsTable, erasedValuesTable, integrityRemovalsTable];
export const ENTITIES = TABLES.map((t) => t.entity());
export const MIGRATIONS = [
  AuditTimeline1763712000000,
  ActionRuns1763800000000,
  DeploymentsIndex1763900000000,
  Commands1764000000000,
  RowLevelSecurity1764100000000,
  ChangesAndCorrelation1764200000000,
  Schedules1764300000000,
  IntegrityLog1764400000000,
  DeadLetterReplays1764500000000,
  CommandErrors1764600000000,
  RunAggregates1764700000000,
  FilterIndexes1764750000000,
  TimePartitions1764800000000,
  RunDurations1764900000000,
  DeploymentCounts1765000000000,
  Retention1765100000000,
];
