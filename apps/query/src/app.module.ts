import { Module } from '@nestjs/common';
import { AuthModule, rateLimitsFrom } from '@runtrail/auth';
import { MessagingModule, NatsReadinessCheck, messagingOptions } from '@runtrail/messaging';
import { PersistenceModule, PostgresReadinessCheck, ReplicaReadinessCheck } from '@runtrail/persistence';
import { PlatformModule, loadConfig } from '@runtrail/platform';
import { ActionRunsModule } from './action-runs/action-runs.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { CommandsModule } from './commands/commands.module';
import { ConsoleModule } from './console/console.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { ErasureModule } from './erasure/erasure.module';
import { IntegrityModule } from './integrity/integrity.module';
import { RunnersModule } from './runners/runners.module';
import { SchedulesModule } from './schedules/schedules.module';
import { RetentionModule } from './retention/retention.module';
import { StreamsModule } from './streams/streams.module';
import { QueryConfigModule } from './shared/config/query-config.module';
import { QueryConfig } from './shared/config/query.config';
import { ValidationModule } from './shared/validation/validation.module';
import { ViewerTokensModule } from './viewer-tokens/viewer-tokens.module';
import { WhoamiModule } from './whoami/whoami.module';

/** The query service: the platform, its connections, the global input check, and one module per feature. */
export function createQueryModule(config: QueryConfig = loadConfig(QueryConfig)) {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'query',
        logLevel: config.LOG_LEVEL,
        readinessChecks: [NatsReadinessCheck, PostgresReadinessCheck, ...(config.DATABASE_READ_URL ? [ReplicaReadinessCheck] : [])],
      }),
      MessagingModule.forRoot(messagingOptions(config, 'runtrail-query')),
      PersistenceModule.forRoot({ url: config.DATABASE_URL, readUrl: config.DATABASE_READ_URL, applicationName: 'runtrail-query' }),
      AuthModule.forRoot({
        namespace: config.RUNTRAIL_NAMESPACE,
        adminKey: config.RUNTRAIL_ADMIN_KEY,
        replicas: config.STREAM_REPLICAS,
        rateLimits: rateLimitsFrom(config),
      }),
      QueryConfigModule.forRoot(config),
      ValidationModule,
      AuditModule,
      ActionRunsModule,
      DeploymentsModule,
      CommandsModule,
      SchedulesModule,
      StreamsModule,
      RetentionModule,
      ErasureModule,
      IntegrityModule,
      RunnersModule,
      ApiKeysModule,
      WhoamiModule,
      ViewerTokensModule,
      ConsoleModule,
    ],
  })
  class QueryModule {}
  return QueryModule;
}
