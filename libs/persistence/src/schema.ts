import { AuditEventEntity } from './entities/audit-event.entity';
import { DeadLetterEntity } from './entities/dead-letter.entity';
import { ProjectorCheckpointEntity } from './entities/projector-checkpoint.entity';
import { AuditTimeline1763712000000 } from './migrations/1763712000000-audit-timeline';

export const ENTITIES = [AuditEventEntity, ProjectorCheckpointEntity, DeadLetterEntity];
export const MIGRATIONS = [AuditTimeline1763712000000];
