import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheck } from '@runtrail/platform';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { openDatabase, type DatabaseOptions } from './database';
import { TenantReader } from './tenancy/tenant-reader';

export class PostgresReadinessCheck implements ReadinessCheck {
  readonly name = 'postgres';
  constructor(private readonly dataSource: DataSource) {}

  async isReady(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 2000);
    });
    try {
      return await Promise.race([this.dataSource.query('SELECT 1').then(() => true), timeout]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Connection failures that mean "Postgres is not up yet", worth waiting out at start. */
const NOT_UP_YET = new Set(['ECONNREFUSED', '57P03', 'ETIMEDOUT']);

/** Opens the database at start, waiting for Postgres while it is not up yet. */
function openWhenAvailable(options: DatabaseOptions, logger: PinoLogger): Promise<DataSource> {
  return retry(() => openDatabase(options), {
    policy: BACKOFF.dependency,
    retryIf: (err) => NOT_UP_YET.has(String((err as { code?: unknown }).code)),
    onRetry: (err, attempt, delayMs) => logger.warn({ attempt, delayMs, code: (err as { code?: unknown }).code }, 'Postgres not reachable yet; waiting'),
  });
}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        { provide: DataSource, inject: [PinoLogger], useFactory: (l: PinoLogger) => openWhenAvailable(options, l) },
        {
          provide: PostgresReadinessCheck,
          inject: [DataSource],
          useFactory: (ds: DataSource) => new PostgresReadinessCheck(ds),
        },
        TenantReader,
      ],
      exports: [DataSource, PostgresReadinessCheck, TenantReader],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
