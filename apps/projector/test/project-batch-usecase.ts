import { randomBytes } from 'node:crypto';
import { TenantDigests } from '@runtrail/integrity';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { DataSource } from 'typeorm';
import { ActionRunProjection } from '../src/action-runs/action-run.projection';
import { AuditEventProjection } from '../src/audit-events/audit-event.projection';
import { CommandProjection } from '../src/commands/command.projection';
import type { ProjectorConfig } from '../src/config/projector.config';
import { IntegrityLogAppender } from '../src/integrity/integrity-log.appender';
import { LogCandidates } from '../src/integrity/log-candidates';
import { ProjectBatchUseCase } from '../src/projection/project-batch.usecase';
import { ScheduleProjection } from '../src/schedules/schedule.projection';

/** The projector's batch use case wired as its module wires it, without Nest, over a test database. */
export function projectBatchUseCase(ds: DataSource, config: ProjectorConfig, digests = new TenantDigests(randomBytes(32))): ProjectBatchUseCase {
  const logger = new PinoLogger({ pinoHttp: { level: 'silent' } });
  const metrics = new Metrics('projector-test');
  return new ProjectBatchUseCase(
    ds,
    new AuditEventProjection(),
    new ActionRunProjection(),
    new CommandProjection(),
    new ScheduleProjection(),
    new LogCandidates(digests),
    new IntegrityLogAppender(logger, metrics),
    config,
    logger,
    metrics,
  );
}
