import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { ensureRole } from '../tenancy/ensure-role';
import { secureTenantTable, unsecureTenantTable } from '../tenancy/tenant-table-security';

/** Tables that hold one tenant's rows each; every one of them carries `tenant_id`. */
const TENANT_TABLES = ['audit_events', 'action_runs', 'action_run_reports', 'commands'];
/** The projector's bookkeeping; no tenant data, never read by the query service. */
const PROJECTOR_TABLES = ['projector_checkpoints', 'dead_letters'];

/**
 * Tenant isolation in the database itself (docs/adr/0009): a query that forgot its
 * tenant condition still sees only the tenant bound to its transaction.
 *
 * - `runtrail_query` reads tenant tables, and only rows whose `tenant_id` equals the
 *   transaction's `runtrail.tenant_id` (unset: no rows at all).
 * - `runtrail_query_root` reads every tenant: the root key's reads.
 * - `runtrail_projector` writes every tenant's projections and its own bookkeeping.
 *
 * None of them owns a table, none can log in: the services connect as the owner and
 * take a role per transaction (`SET LOCAL ROLE`). FORCE applies the policies to the
 * owner too, so the owner sees no tenant rows either (superusers bypass RLS, as
 * Postgres always lets them). Roles are cluster-wide, so several Runtrail databases
 * share them; privileges and policies are per database.
 */
export class RowLevelSecurity1764100000000 implements MigrationInterface {
  name = 'RowLevelSecurity1764100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const role of Object.values(DB_ROLES)) await ensureRole(q, role);
    const { query, queryRoot, projector } = DB_ROLES;
    await q.query(`GRANT SELECT ON ${TENANT_TABLES.join(', ')} TO ${query}, ${queryRoot}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${[...TENANT_TABLES, ...PROJECTOR_TABLES].join(', ')} TO ${projector}`);
    for (const table of TENANT_TABLES) await secureTenantTable(q, table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) await unsecureTenantTable(q, table);
    const { query, queryRoot, projector } = DB_ROLES;
    await q.query(`REVOKE ALL ON ${TENANT_TABLES.join(', ')} FROM ${query}, ${queryRoot}, ${projector}`);
    await q.query(`REVOKE ALL ON ${PROJECTOR_TABLES.join(', ')} FROM ${projector}`);
    // The roles stay: other databases on the cluster may still use them.
  }
}
