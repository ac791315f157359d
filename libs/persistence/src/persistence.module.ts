import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheck } from '@runtrail/platform';
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

/** Opens the database at start, waiting for Postgres while it is not up yet. */
async function openWhenAvailable(options: DatabaseOptions, logger: PinoLogger): Promise<DataSource> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await openDatabase(options);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== 'ECONNREFUSED' && code !== '57P03' && code !== 'ETIMEDOUT') throw err;
      logger.warn({ attempt, code }, 'Postgres not reachable yet; waiting');
      await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5000)));
    }
  }
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
