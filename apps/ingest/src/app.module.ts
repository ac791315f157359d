import { Module } from '@nestjs/common';
import { AuthModule, rateLimitsFrom } from '@runtrail/auth';
import { EventPublisher, MessagingModule, NatsReadinessCheck, SubmissionGroupCommit, messagingOptions } from '@runtrail/messaging';
import { PlatformModule, loadConfig, type HttpAdapterKind } from '@runtrail/platform';
import { AuditEventsController } from './audit-events/audit-events.controller';
import { ActionRunsController } from './action-runs/action-runs.controller';
import { SubmitEventsUseCase } from './submission/submit-events.usecase';
import { IngestConfig } from './config/ingest.config';

/** The gateway runs under Fastify: its single-event path is the product's hot path (ADR 0022). */
export const INGEST_HTTP: HttpAdapterKind = 'fastify';

export function createIngestModule(config: IngestConfig = loadConfig(IngestConfig)) {
  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'ingest', logLevel: config.LOG_LEVEL, readinessChecks: [NatsReadinessCheck], http: INGEST_HTTP }),
      MessagingModule.forRoot(messagingOptions(config, 'runtrail-ingest')),
      AuthModule.forRoot({
        namespace: config.RUNTRAIL_NAMESPACE,
        adminKey: config.RUNTRAIL_ADMIN_KEY,
        replicas: config.STREAM_REPLICAS,
        rateLimits: rateLimitsFrom(config),
      }),
    ],
    controllers: [AuditEventsController, ActionRunsController],
    providers: [
      { provide: IngestConfig, useValue: config },
      SubmitEventsUseCase,
      // Small submissions of one key share a store while another is in flight (ADR 0025).
      { provide: SubmissionGroupCommit, inject: [EventPublisher], useFactory: (p: EventPublisher) => new SubmissionGroupCommit((h, e) => p.publishEvents(h, e)) },
    ],
  })
  class IngestModule {}
  return IngestModule;
}
