import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { deleteNamespace, dropDatabase } from './cleanup';
import { request } from './http';
import { NATS_URL, PG_ADMIN_URL, databaseUrl, uniqueName } from './names';
import { Stack, freePort } from '@runtrail/launcher';

/** What `issueKey` creates: a tenant key through the API. */
export interface KeySpec {
  tenantId: string;
  /** `key-<tenantId>` when absent. */
  name?: string;
  scopes: string[];
  /** `Application` when absent. */
  principalType?: 'User' | 'Application';
}

/** A key as the API created it: its id (to rotate or revoke it) and the secret. */
export interface IssuedKey {
  id: string;
  key: string;
}

export interface TestStack {
  stack: Stack;
  namespace: string;
  database: string;
  adminKey: string;
  env: NodeJS.ProcessEnv;
  ingestUrl: string;
  queryUrl: string;
  projectorUrl: string;
  /** Runs SQL on the stack's own database, for assertions on what was stored. */
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Creates a tenant key through the API, as the root key or as `by`; fails unless it answers 201. */
  issueKey(spec: KeySpec, by?: string): Promise<IssuedKey>;
  /** `issueKey` with positional arguments, answering the secret only. */
  createKey(tenantId: string, scopes: string[], name?: string, principalType?: 'User' | 'Application'): Promise<string>;
  stop(): Promise<void>;
}

export function testEnv(namespace: string, database: string, adminKey: string, natsUrl = NATS_URL): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NATS_URL: natsUrl,
    DATABASE_URL: databaseUrl(database),
    RUNTRAIL_NAMESPACE: namespace,
    RUNTRAIL_ADMIN_KEY: adminKey,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
  };
}

export type ExtraEnv = NodeJS.ProcessEnv | ((names: { namespace: string; database: string }) => NodeJS.ProcessEnv);

export interface TestStackServers {
  /** The admin URL of a private Postgres (`PostgresServer.adminUrl`) the stack's database lives on; the shared one when absent. */
  postgresAdminUrl?: string;
}

/**
 * The three services on free ports, with their own namespace and database (on the shared
 * Postgres, or on a private one). Cleanup goes to the NATS server in the stack's `NATS_URL`.
 */
export async function startTestStack(prefix = 'e2e', extraEnv: ExtraEnv = {}, servers: TestStackServers = {}): Promise<TestStack> {
  const namespace = uniqueName(prefix);
  const database = namespace;
  const adminKey = `root_${randomBytes(24).toString('hex')}`;
  const extra = typeof extraEnv === 'function' ? extraEnv({ namespace, database }) : extraEnv;
  const pgAdminUrl = servers.postgresAdminUrl ?? PG_ADMIN_URL;
  const env: NodeJS.ProcessEnv = { ...testEnv(namespace, database, adminKey), DATABASE_URL: databaseUrl(database, pgAdminUrl), ...extra };
  const ports = { ingest: await freePort(), projector: await freePort(), query: await freePort() };
  const stack = new Stack({ env, ports, output: 'collect' });
  await stack.start();
  const urls = stack.urls();
  let db: Client | undefined;
  const issueKey = async ({ tenantId, name = `key-${tenantId}`, scopes, principalType = 'Application' }: KeySpec, by = adminKey): Promise<IssuedKey> => {
    const res = await request<IssuedKey>('POST', `${urls.query}/v1/api-keys`, {
      key: by,
      body: { tenantId, name, principalType, scopes },
    });
    if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
    return res.body;
  };
  return {
    stack,
    namespace,
    database,
    adminKey,
    env,
    ingestUrl: urls.ingest,
    queryUrl: urls.query,
    projectorUrl: urls.projector,
    async query<R>(sql: string, params: unknown[] = []) {
      if (!db) {
        db = new Client({ connectionString: databaseUrl(database, pgAdminUrl) });
        // A fault test may stop the server under this connection: the next query reconnects.
        db.on('error', () => (db = undefined));
        await db.connect();
      }
      return (await db.query(sql, params)).rows as R[];
    },
    issueKey,
    async createKey(tenantId, scopes, name, principalType) {
      return (await issueKey({ tenantId, scopes, name, principalType })).key;
    },
    async stop() {
      await db?.end();
      await stack.stop();
      await dropDatabase(database, pgAdminUrl).catch(() => undefined);
      await deleteNamespace(namespace, env.NATS_URL).catch(() => undefined);
    },
  };
}
