import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { secureTenantTable } from '../tenancy/tenant-table-security';

/**
 * Retention (CONTRACT §8, docs/retention.md): what each tenant's log has had removed, and
 * the projector role's right to delete the erased-value digests of removed rows (it already
 * deletes rows of the timeline and run tables).
 */
export class Retention1765100000000 implements MigrationInterface {
  name = 'Retention1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "integrity_removals" (
        "tenant_id" text NOT NULL,
        "up_to_index" bigint NOT NULL,
        "up_to_position" bigint NOT NULL,
        "received_before" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "removed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_integrity_removals" PRIMARY KEY ("tenant_id")
      )`);
    const { query, queryRoot, projector, integrity } = DB_ROLES;
    await q.query(`GRANT SELECT ON integrity_removals TO ${query}, ${queryRoot}, ${integrity}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON integrity_removals TO ${projector}`);
    await q.query(`GRANT DELETE ON erased_values TO ${projector}`);
    await secureTenantTable(q, 'integrity_removals');
    await q.query(`CREATE POLICY "integrity_reads" ON "integrity_removals" FOR SELECT TO ${integrity} USING (true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON erased_values FROM ${DB_ROLES.projector}`);
    await q.query(`DROP TABLE "integrity_removals"`);
  }
}
