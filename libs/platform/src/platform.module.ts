import { DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { DomainExceptionFilter } from './errors/domain-exception.filter';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './health/readiness';
import type { HttpAdapterKind } from './http/http-adapter-kind';
import { errorFields } from './logging/error-fields';
import { isQuietPath, requestLogFields } from './logging/request-log';
import { Metrics } from './metrics/metrics';
import { Clock, SystemClock } from './time/clock';
import { MetricsController } from './metrics/metrics.controller';

export interface PlatformOptions {
  service: string;
  logLevel: string;
  /** Tokens of the ReadinessCheck providers (from global modules) that decide /readyz. */
  readinessChecks: Type<ReadinessCheck>[];
  /**
   * The app's HTTP server, as given to createHttpApp (default Express). Under Express,
   * pino-http logs each request and gives the logger a per-request context; under
   * Fastify a hook of createHttpApp logs the same line, and there is no such context.
   */
  http?: HttpAdapterKind;
}

/**
 * What every Runtrail HTTP service has: structured JSON logs (pino) that never carry
 * the Authorization header, the error filter, health/readiness and Prometheus metrics.
 * The app names the readiness checks that decide /readyz.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const metrics: Provider = { provide: Metrics, useValue: new Metrics(options.service) };
    return {
      module: PlatformModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: options.logLevel,
            base: { service: options.service },
            redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
            autoLogging: { ignore: (req) => isQuietPath(req.url ?? '') },
            serializers: { req: requestLogFields, err: errorFields },
          },
          // No pino-http middleware under Fastify (fastify-app.ts logs requests itself).
          ...(options.http === 'fastify' ? { forRoutes: [] } : {}),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        metrics,
        { provide: Clock, useClass: SystemClock },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
        { provide: READINESS_CHECKS, inject: options.readinessChecks, useFactory: (...checks: ReadinessCheck[]) => checks },
      ],
      exports: [metrics, Clock],
    };
  }
}
