import { DynamicModule, Global, Module, type Provider, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { DomainExceptionFilter } from './errors/domain-exception.filter';
import { HealthController } from './health/health.controller';
import { READINESS_CHECKS, type ReadinessCheck } from './health/readiness';
import { errorFields } from './logging/error-fields';
import { redactUrl } from './logging/redact-url';
import { Metrics } from './metrics/metrics';
import { Clock, SystemClock } from './time/clock';
import { MetricsController } from './metrics/metrics.controller';

export interface PlatformOptions {
  service: string;
  logLevel: string;
  /** Tokens of the ReadinessCheck providers (from global modules) that decide /readyz. */
  readinessChecks: Type<ReadinessCheck>[];
}

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

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
            autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
            // Query strings hold cursors and filters, and one secret: the viewer token of the
            // console's embed page (`?token=`), which is redacted. Bodies are not logged.
            serializers: {
              req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
              err: errorFields,
            },
          },
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
