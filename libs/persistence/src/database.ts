import { Client } from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import { ENTITIES, MIGRATIONS } from './schema';

export interface DatabaseOptions {
  url: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  poolSize?: number;
  /**
   * The schema unqualified names resolve to (`search_path`); `public` when absent. A
   * rebuild projects into a schema of its own before its tables are swapped in.
   */
  schema?: string;
}

const DATABASE_NAME = /^[A-Za-z0-9_-]{1,63}$/;
/** A schema name from code (spliced into a connection option and into DDL), never from input. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** How long a pooled connection may sit idle before it is closed. */
export const POOL_IDLE_MS = 5 * 60_000;

/** Any fixed number: every Runtrail process that migrates takes this lock first. */
const MIGRATION_LOCK_KEY = 7_242_031_001;

export function createDataSource(options: DatabaseOptions): DataSource {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) throw new Error(`unusable schema name "${options.schema}"`);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    applicationName: options.applicationName,
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5000,
      // pg's default closes a connection after 10 s idle. A new backend pays about 30 ms to
      // load the catalog of each partitioned table on its first query (18 month partitions
      // and their indexes, ADR 0026): requests 11 s apart took 53-90 ms each with the default
      // and 11-16 ms with connections kept (docs/performance.md).
      idleTimeoutMillis: POOL_IDLE_MS,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    },
  });
}

/** Creates the database named in the URL when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(name)) throw new Error(`DATABASE_URL names an unusable database "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      // Identifiers cannot be bound as parameters; the name is checked against DATABASE_NAME above.
      await client.query(`CREATE DATABASE "${name}"`).catch((err: { code?: string }) => {
        // 42P04, or 23505 when two starters race: another process created it first.
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations while holding a Postgres advisory lock, so several
 * processes starting together never race (TypeORM has no lock of its own).
 */
export async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    // Migrate on the connection that holds the lock: a pool of one must not deadlock.
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    await executor.executePendingMigrations();
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Creates the database if needed, connects and migrates. */
export async function openDatabase(options: DatabaseOptions): Promise<DataSource> {
  await ensureDatabase(options.url);
  const dataSource = createDataSource(options);
  await dataSource.initialize();
  await migrate(dataSource);
  return dataSource;
}
