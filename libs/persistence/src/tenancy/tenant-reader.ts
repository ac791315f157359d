import { Injectable } from '@nestjs/common';
import { types, type CustomTypesConfig, type PoolClient } from 'pg';
import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import type { ReadQuery, ValuesQuery } from '../sql/read-query';
import { DB_ROLES, TENANT_SETTING } from './db-roles';

/**
 * Runs the query service's reads inside row-level security: each statement gets its
 * own read-only transaction as `runtrail_query` with the caller's tenant bound, or as
 * `runtrail_query_root` for the root key (tenant null). Both are `SET LOCAL`, so they
 * end with the transaction and a pooled connection never carries a role or a tenant
 * over to its next user. The repositories still filter by tenant themselves (that is
 * what the indexes serve); this is the second wall, for the query that forgets.
 */
@Injectable()
export class TenantReader {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs a read and decodes its rows. */
  async read<R>(tenantId: string | null, q: ReadQuery<R>): Promise<R[]> {
    const rows = await this.query<Record<string, unknown>>(tenantId, q.text, q.values);
    return rows.map(q.decode);
  }

  async query<R>(tenantId: string | null, sql: string, params: unknown[] = []): Promise<R[]> {
    return this.inTenant(tenantId, (runner) => runner.query(sql, params));
  }

  /**
   * Runs a read whose rows come back as arrays of column values (no object per row), with
   * `timestamptz` as Postgres's text instead of a parsed Date: for the large reads of a
   * download, where those two costs were most of the time per row.
   */
  async readValues<R>(tenantId: string | null, q: ValuesQuery<R>): Promise<R> {
    const result = await this.inTenant(tenantId, async (runner) => {
      // TypeORM's query() cannot ask for array rows; its runner hands out the pg client.
      const client = (await runner.connect()) as PoolClient;
      return client.query<unknown[]>({ text: q.text, values: q.values, rowMode: 'array', types: RAW_TIMES });
    });
    return q.decodeRows(result.rows);
  }

  private async inTenant<T>(tenantId: string | null, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Both statements are constants (no input), so they travel as one round trip.
      await runner.query(`BEGIN READ ONLY; SET LOCAL ROLE ${tenantId === null ? DB_ROLES.queryRoot : DB_ROLES.query}`);
      if (tenantId !== null) await runner.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId]);
      const result = await work(runner);
      await runner.query('COMMIT');
      return result;
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }
}

const TIMESTAMPTZ_OID = 1184;
/** pg's own parsers, except `timestamptz`, which stays the text Postgres sent. */
const RAW_TIMES: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMPTZ_OID ? (value: string) => value : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

/**
 * Makes the rest of a projector transaction run as `runtrail_projector`, which may
 * write every tenant's rows but owns nothing (it cannot alter or drop a table).
 */
export async function actAsProjector(em: Pick<EntityManager, 'query'>): Promise<void> {
  await em.query(`SET LOCAL ROLE ${DB_ROLES.projector}`);
}

/**
 * Runs `work` as `runtrail_projector` inside the caller's transaction (the owner's
 * maintenance writing tenant rows, under their row-level policy), then takes the caller's
 * role back. Not on failure: the transaction is aborted then, and rolls the role back too.
 */
export async function asProjector<T>(runner: Pick<EntityManager, 'query'>, work: () => Promise<T>): Promise<T> {
  await actAsProjector(runner);
  const result = await work();
  await runner.query('RESET ROLE');
  return result;
}

/**
 * A TenantReader on the primary, whatever DATABASE_READ_URL says: for reads that must see
 * everything committed before them (an erasure reads the rows it is about to erase right
 * after waiting for the projector's checkpoint on the primary).
 */
@Injectable()
export class PrimaryTenantReader extends TenantReader {}
