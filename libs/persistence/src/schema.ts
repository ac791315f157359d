import { ActionRunReportEntity } from './entities/action-run-report.entity';
import { ActionRunEntity } from './entities/action-run.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { CommandEntity } from './entities/command.entity';
import { DeadLetterEntity } from './entities/dead-letter.entity';
import { ProjectorCheckpointEntity } from './entities/projector-checkpoint.entity';
import { AuditTimeline1763712000000 } from './migrations/1763712000000-audit-timeline';
import { ActionRuns1763800000000 } from './migrations/1763800000000-action-runs';
import { DeploymentsIndex1763900000000 } from './migrations/1763900000000-deployments-index';
import { Commands1764000000000 } from './migrations/1764000000000-commands';
import { RowLevelSecurity1764100000000 } from './migrations/1764100000000-row-level-security';

export const ENTITIES = [AuditEventEntity, ProjectorCheckpointEntity, DeadLetterEntity, ActionRunEntity, ActionRunReportEntity, CommandEntity];
export const MIGRATIONS = [AuditTimeline1763712000000, ActionRuns1763800000000, DeploymentsIndex1763900000000, Commands1764000000000, RowLevelSecurity1764100000000];
