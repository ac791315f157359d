import { Module } from '@nestjs/common';
import { AuthModule, KeyStore, rateLimitsFrom } from '@runtrail/auth';
import { MessagingModule, NatsClient, NatsReadinessCheck, messagingOptions } from '@runtrail/messaging';
import { PersistenceModule, PostgresReadinessCheck } from '@runtrail/persistence';
import { PlatformModule, loadConfig } from '@runtrail/platform';
import { ActionRunRepository, DeploymentRepository } from './action-runs/action-run.repository';
import { ActionRunsController } from './action-runs/action-runs.controller';
import { DeploymentsController } from './action-runs/deployments.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysUseCases } from './api-keys/api-keys.usecases';
import { AuditEventRepository } from './audit/audit-event.repository';
import { AuditController } from './audit/audit.controller';
import { CommandStore } from './commands/command-store';
import { CommandRepository } from './commands/command.repository';
import { CommandsController } from './commands/commands.controller';
import { CommandsUseCases } from './commands/commands.usecases';
import { COMMAND_SIGNING_KEYS, loadCommandSigningKeys } from './commands/signing-keys';
import { QueryConfig } from './shared/config/query.config';
import { RunnerSessionController, RunnersController } from './runners/runners.controller';
import { RunnersUseCases } from './runners/runners.usecases';
import { PagingModule } from './shared/paging/paging.module';
import { QueryConfigModule } from './shared/config/query-config.module';
import { TimelineModule } from './shared/timeline/timeline.module';
import { ValidationModule } from './shared/validation/validation.module';

export function createQueryModule(config: QueryConfig = loadConfig(QueryConfig)) {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'query',
        logLevel: config.LOG_LEVEL,
        readinessChecks: [NatsReadinessCheck, PostgresReadinessCheck],
      }),
      MessagingModule.forRoot(messagingOptions(config, 'runtrail-query')),
      PersistenceModule.forRoot({ url: config.DATABASE_URL, applicationName: 'runtrail-query' }),
      AuthModule.forRoot({
        namespace: config.RUNTRAIL_NAMESPACE,
        adminKey: config.RUNTRAIL_ADMIN_KEY,
        replicas: config.STREAM_REPLICAS,
        rateLimits: rateLimitsFrom(config),
      }),
      QueryConfigModule.forRoot(config),
      ValidationModule,
      PagingModule,
      TimelineModule,
    ],
    controllers: [AuditController, ActionRunsController, DeploymentsController, ApiKeysController, RunnersController, RunnerSessionController, CommandsController],
    providers: [
      AuditEventRepository,
      ActionRunRepository,
      DeploymentRepository,
      ApiKeysUseCases,
      RunnersUseCases,
      CommandRepository,
      CommandsUseCases,
      {
        provide: CommandStore,
        inject: [NatsClient],
        useFactory: (c: NatsClient) => CommandStore.open(c, config.RUNTRAIL_NAMESPACE, config.STREAM_REPLICAS),
      },
      { provide: COMMAND_SIGNING_KEYS, inject: [KeyStore], useFactory: (store: KeyStore) => loadCommandSigningKeys(store) },
    ],
  })
  class QueryModule {}
  return QueryModule;
}
