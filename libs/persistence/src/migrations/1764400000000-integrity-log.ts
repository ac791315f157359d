import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { ensureRole } from '../tenancy/ensure-role';
import { secureTenantTable } from '../tenancy/tenant-table-security';

const TABLES = ['integrity_logs', 'integrity_entries', 'integrity_nodes', 'integrity_checkpoints', 'erased_values'];

/**
 * The per-tenant integrity log (docs/integrity.md). The projector appends to it; the query
 * service reads a tenant's part under row-level security like every tenant table, and
 * signs checkpoints as `runtrail_integrity`, which reads every tenant's tree and may only
 * add checkpoints.
 */
export class IntegrityLog1764400000000 implements MigrationInterface {
  name = 'IntegrityLog1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "integrity_logs" (
        "tenant_id" text NOT NULL,
        "size" bigint NOT NULL,
        "frontier" bytea NOT NULL,
        "last_position" bigint NOT NULL,
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_integrity_logs" PRIMARY KEY ("tenant_id")
      )`);
    await q.query(`
      CREATE TABLE "integrity_entries" (
        "tenant_id" text NOT NULL,
        "idx" bigint NOT NULL,
        "entry_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "ref" text NOT NULL,
        "position" bigint NOT NULL,
        "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "leaf_hash" bytea NOT NULL,
        CONSTRAINT "PK_integrity_entries" PRIMARY KEY ("tenant_id", "idx")
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_integrity_entries_tenant_entry" ON "integrity_entries" ("tenant_id", "entry_id")`);
    await q.query(`CREATE INDEX "ix_integrity_entries_tenant_ref" ON "integrity_entries" ("tenant_id", "ref")`);
    await q.query(`
      CREATE TABLE "integrity_nodes" (
        "tenant_id" text NOT NULL,
        "level" integer NOT NULL,
        "idx" bigint NOT NULL,
        "hash" bytea NOT NULL,
        CONSTRAINT "PK_integrity_nodes" PRIMARY KEY ("tenant_id", "level", "idx")
      )`);
    await q.query(`
      CREATE TABLE "integrity_checkpoints" (
        "tenant_id" text NOT NULL,
        "size" bigint NOT NULL,
        "root_hash" bytea NOT NULL,
        "key_id" text NOT NULL,
        "public_key" bytea NOT NULL,
        "note" text NOT NULL,
        "issued_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_integrity_checkpoints" PRIMARY KEY ("tenant_id", "size")
      )`);
    await q.query(`CREATE INDEX "ix_integrity_checkpoints_tenant_issued" ON "integrity_checkpoints" ("tenant_id", "issued_at")`);
    await q.query(`
      CREATE TABLE "erased_values" (
        "tenant_id" text NOT NULL,
        "position" bigint NOT NULL,
        "path" text NOT NULL,
        "digest" text NOT NULL,
        CONSTRAINT "PK_erased_values" PRIMARY KEY ("tenant_id", "position", "path")
      )`);

    const { query, queryRoot, projector, integrity } = DB_ROLES;
    await ensureRole(q, integrity);
    await q.query(`GRANT SELECT ON ${TABLES.join(', ')} TO ${query}, ${queryRoot}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON ${TABLES.join(', ')} TO ${projector}`);
    await q.query(`GRANT SELECT ON integrity_logs, integrity_entries, integrity_nodes TO ${integrity}`);
    await q.query(`GRANT SELECT, INSERT ON integrity_checkpoints TO ${integrity}`);
    for (const table of TABLES) await secureTenantTable(q, table);
    await q.query(`CREATE POLICY "integrity_reads" ON "integrity_logs" FOR SELECT TO ${integrity} USING (true)`);
    await q.query(`CREATE POLICY "integrity_reads" ON "integrity_entries" FOR SELECT TO ${integrity} USING (true)`);
    await q.query(`CREATE POLICY "integrity_reads" ON "integrity_nodes" FOR SELECT TO ${integrity} USING (true)`);
    await q.query(`CREATE POLICY "integrity_reads" ON "integrity_checkpoints" FOR SELECT TO ${integrity} USING (true)`);
    await q.query(`CREATE POLICY "integrity_signs" ON "integrity_checkpoints" FOR INSERT TO ${integrity} WITH CHECK (true)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Dropping a table drops its policies; the role stays, as the other roles do.
    for (const table of TABLES) await q.query(`DROP TABLE "${table}"`);
  }
}
