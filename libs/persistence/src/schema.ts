import { ActionRunReportEntity } from './entities/action-run-report.entity';
import { ActionRunEntity } from './entities/action-run.entity';
import { AuditEventEntity } from './entities/audit-event.entity';
import { DeadLetterEntity } from './entities/dead-letter.entity';
import { ProjectorCheckpointEntity } from './entities/projector-checkpoint.entity';
import { AuditTimeline1763712000000 } from './migrations/1763712000000-audit-timeline';
import { ActionRuns1763800000000 } from './migrations/1763800000000-action-runs';
import { DeploymentsIndex1763900000000 } from './migrations/1763900000000-deployments-index';

export const ENTITIES = [AuditEventEntity, ProjectorCheckpointEntity, DeadLetterEntity, ActionRunEntity, ActionRunReportEntity];
export const MIGRATIONS = [AuditTimeline1763712000000, ActionRuns1763800000000, DeploymentsIndex1763900000000];
