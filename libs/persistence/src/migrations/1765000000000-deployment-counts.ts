import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { APPLY_RUN_CHANGES_SQL, deploymentsBackfillSql } from './1764700000000-run-aggregates';

/**
 * Deployment counts that an upsert counted twice, mended (docs/adr/0024, amendment). An
 * `INSERT … ON CONFLICT DO UPDATE` fires its UPDATE trigger before its INSERT trigger; a
 * deployment row that lost a run there was counted again from the runs, the ones the same
 * statement inserted included, and the INSERT trigger then added those once more. The
 * function now keeps counts as sums of the changes (APPLY_RUN_CHANGES_SQL, which migration
 * 1764700000000 installs too, so a rebuild never puts the old body back), and the rows
 * kept so far are made again from the runs.
 */
export class DeploymentCounts1765000000000 implements MigrationInterface {
  name = 'DeploymentCounts1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(APPLY_RUN_CHANGES_SQL);
    // The table's lock, taken by TRUNCATE, holds writers' triggers until the rows are whole again.
    await q.query('TRUNCATE action_run_deployments');
    // As the projector role: FORCE row level security hides every tenant row from the owner.
    await q.query(`SET LOCAL ROLE ${DB_ROLES.projector}`);
    await q.query(deploymentsBackfillSql('action_runs'));
    await q.query('RESET ROLE');
  }

  async down(): Promise<void> {
    // Nothing to undo: the rows are what the runs give, and the function's earlier body was the flaw.
  }
}
