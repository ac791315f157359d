import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReadQuery } from '../sql/read-query';
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
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // Both statements are constants (no input), so they travel as one round trip.
      await runner.query(`BEGIN READ ONLY; SET LOCAL ROLE ${tenantId === null ? DB_ROLES.queryRoot : DB_ROLES.query}`);
      if (tenantId !== null) await runner.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenantId]);
      const rows: R[] = await runner.query(sql, params);
      await runner.query('COMMIT');
      return rows;
    } catch (err) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      await runner.release();
    }
  }
}

/**
 * Makes the rest of a projector transaction run as `runtrail_projector`, which may
 * write every tenant's rows but owns nothing (it cannot alter or drop a table).
 */
export async function actAsProjector(em: EntityManager): Promise<void> {
  await em.query(`SET LOCAL ROLE ${DB_ROLES.projector}`);
}

/**
 * A TenantReader on the primary, whatever DATABASE_READ_URL says: for reads that must see
 * everything committed before them (an erasure reads the rows it is about to erase right
 * after waiting for the projector's checkpoint on the primary).
 */
@Injectable()
export class PrimaryTenantReader extends TenantReader {}
