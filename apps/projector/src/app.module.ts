import { Module } from '@nestjs/common';
import { TenantDigests } from '@runtrail/integrity';
import { ConsumerReadinessCheck, MessagingModule, NatsReadinessCheck, PersonalDataVault, messagingOptions } from '@runtrail/messaging';
import { PersistenceModule, PostgresReadinessCheck } from '@runtrail/persistence';
import { PlatformModule, loadConfig } from '@runtrail/platform';
import { ActionRunProjection } from './action-runs/action-run.projection';
import { AuditEventProjection } from './audit-events/audit-event.projection';
import { CommandProjection } from './commands/command.projection';
import { ErasureProjection } from './erasure/erasure.projection';
import { ProjectorConfig } from './config/projector.config';
import { IntegrityLogAppender } from './integrity/integrity-log.appender';
import { LogCandidates } from './integrity/log-candidates';
import { DecodeBatch } from './projection/decode-batch';
import { ProjectBatchUseCase } from './projection/project-batch.usecase';
import { ConsumerLagMetric } from './projection/consumer-lag.metric';
import { partitionOwnership, projectionConsumer } from './projection/projection-consumer';
import { ScheduleProjection } from './schedules/schedule.projection';
import { ProjectionHandler } from './projection/projection.handler';
import { SettledDeadLetters } from './projection/settled-dead-letters';
import { TimePartitionUpkeep } from './time-partitions/time-partition-upkeep';

/** How a rebuild runs the projector (apps/projector/src/rebuild): into its own schema, with the dead letters already settled. */
export interface ProjectorModuleOptions {
  schema?: string;
  settledDeadLetters?: ReadonlyMap<number, string>;
}

export function createProjectorModule(config: ProjectorConfig = loadConfig(ProjectorConfig), options: ProjectorModuleOptions = {}) {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'projector',
        logLevel: config.LOG_LEVEL,
        readinessChecks: [NatsReadinessCheck, ConsumerReadinessCheck, PostgresReadinessCheck],
      }),
      MessagingModule.forRoot(messagingOptions(config, 'runtrail-projector')),
      PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'runtrail-projector', schema: options.schema }),
    ],
    controllers: [ProjectionHandler],
    providers: [
      { provide: ProjectorConfig, useValue: config },
      AuditEventProjection,
      ActionRunProjection,
      CommandProjection,
      ScheduleProjection,
      ErasureProjection,
      { provide: TenantDigests, inject: [PersonalDataVault], useFactory: (vault: PersonalDataVault) => vault.digests },
      { provide: SettledDeadLetters, useValue: new SettledDeadLetters(options.settledDeadLetters) },
      DecodeBatch,
      LogCandidates,
      IntegrityLogAppender,
      ProjectBatchUseCase,
      partitionOwnership,
      projectionConsumer,
      ConsumerLagMetric,
      TimePartitionUpkeep,
    ],
  })
  class ProjectorModule {}
  return ProjectorModule;
}
