import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { ReadinessCheck } from '@runtrail/platform';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { createDataSource, openDatabase, type DatabaseOptions } from './database';
import { PrimaryTenantReader, TenantReader } from './tenancy/tenant-reader';

export class PostgresReadinessCheck implements ReadinessCheck {
  constructor(
    private readonly dataSource: DataSource,
    readonly name = 'postgres',
  ) {}

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
/** A replica has not yet replayed the creation of a database made on the primary a moment ago. */
const NOT_REPLICATED_YET = '3D000';

/** Opens the database at start, waiting for Postgres while it is not up yet. */
function openWhenAvailable(options: DatabaseOptions, logger: PinoLogger): Promise<DataSource> {
  return retry(() => openDatabase(options), {
    policy: BACKOFF.dependency,
    retryIf: (err) => NOT_UP_YET.has(String((err as { code?: unknown }).code)),
    onRetry: (err, attempt, delayMs) => logger.warn({ attempt, delayMs, code: (err as { code?: unknown }).code }, 'Postgres not reachable yet; waiting'),
  });
}

/** Connects to a read-only streaming replica (no migrations: the primary runs them, and they replicate). */
function openReplicaWhenAvailable(options: DatabaseOptions, logger: PinoLogger): Promise<DataSource> {
  return retry(() => createDataSource(options).initialize(), {
    policy: BACKOFF.dependency,
    retryIf: (err) => {
      const code = String((err as { code?: unknown }).code);
      return NOT_UP_YET.has(code) || code === NOT_REPLICATED_YET;
    },
    onRetry: (err, attempt, delayMs) => logger.warn({ attempt, delayMs, code: (err as { code?: unknown }).code }, 'Postgres read replica not reachable yet; waiting'),
  });
}

export interface PersistenceOptions extends DatabaseOptions {
  /** A streaming replica that `TenantReader` reads from; `url` itself when absent. */
  readUrl?: string;
}

/** The data source `TenantReader` reads from: the read replica, or the primary `DataSource` itself. */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

/** The `/readyz` check of the read replica, where one is configured. */
export class ReplicaReadinessCheck extends PostgresReadinessCheck {}

@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(READ_DATA_SOURCE) private readonly readDataSource: DataSource,
  ) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    const { readUrl, ...primary } = options;
    return {
      module: PersistenceModule,
      providers: [
        { provide: DataSource, inject: [PinoLogger], useFactory: (l: PinoLogger) => openWhenAvailable(primary, l) },
        {
          provide: READ_DATA_SOURCE,
          inject: [DataSource, PinoLogger],
          useFactory: (ds: DataSource, l: PinoLogger) => (readUrl ? openReplicaWhenAvailable({ ...primary, url: readUrl }, l) : ds),
        },
        { provide: PostgresReadinessCheck, inject: [DataSource], useFactory: (ds: DataSource) => new PostgresReadinessCheck(ds) },
        // Without a replica it checks the primary again: cheap, and the check list stays one shape.
        { provide: ReplicaReadinessCheck, inject: [READ_DATA_SOURCE], useFactory: (ds: DataSource) => new ReplicaReadinessCheck(ds, 'postgres_read') },
        { provide: TenantReader, inject: [READ_DATA_SOURCE], useFactory: (ds: DataSource) => new TenantReader(ds) },
        { provide: PrimaryTenantReader, inject: [DataSource], useFactory: (ds: DataSource) => new PrimaryTenantReader(ds) },
      ],
      exports: [DataSource, READ_DATA_SOURCE, PostgresReadinessCheck, ReplicaReadinessCheck, TenantReader, PrimaryTenantReader],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.readDataSource !== this.dataSource && this.readDataSource.isInitialized) await this.readDataSource.destroy();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
