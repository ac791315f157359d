import type { QueryRunner } from 'typeorm';
import { DB_ROLES, TENANT_SETTING } from './db-roles';

/**
 * Row-level security of one tenant table (docs/adr/0009): the query role reads the rows of
 * the tenant bound to its transaction, the root reader every row, the projector writes.
 * FORCE applies the policies to the owner too. `table` is a name from code, never input.
 */
export async function secureTenantTable(q: QueryRunner, table: string): Promise<void> {
  const { query, queryRoot, projector } = DB_ROLES;
  await q.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
  await q.query(
    `CREATE POLICY "tenant_isolation" ON "${table}" FOR SELECT TO ${query}
       USING (tenant_id = current_setting('${TENANT_SETTING}', true))`,
  );
  await q.query(`CREATE POLICY "all_tenants_read" ON "${table}" FOR SELECT TO ${queryRoot} USING (true)`);
  await q.query(`CREATE POLICY "projector_writes" ON "${table}" FOR ALL TO ${projector} USING (true) WITH CHECK (true)`);
}

/** Undoes `secureTenantTable`. */
export async function unsecureTenantTable(q: QueryRunner, table: string): Promise<void> {
  for (const policy of ['tenant_isolation', 'all_tenants_read', 'projector_writes']) {
    await q.query(`DROP POLICY IF EXISTS "${policy}" ON "${table}"`);
  }
  await q.query(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
}
