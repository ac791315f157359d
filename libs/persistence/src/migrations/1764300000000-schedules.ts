import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { secureTenantTable, unsecureTenantTable } from '../tenancy/tenant-table-security';

/** Schedules (docs/api.md#schedules): their projected list, and the schedule a command was fired by. */
export class Schedules1764300000000 implements MigrationInterface {
  name = 'Schedules1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "commands" ADD "schedule_id" uuid`);
    await q.query(`
      CREATE TABLE "schedules" (
        "tenant_id" text NOT NULL,
        "id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "cron" text NOT NULL,
        "timezone" text NOT NULL,
        "reason" text NOT NULL,
        "runner_id" uuid,
        "until" TIMESTAMP(3) WITH TIME ZONE,
        "next_fire_at" TIMESTAMP(3) WITH TIME ZONE,
        "paused" boolean NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "correlation_id" text,
        "created_by" jsonb NOT NULL,
        "last_fired_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_command_id" uuid,
        "last_error" text,
        "deleted" boolean NOT NULL,
        "revision" bigint NOT NULL,
        CONSTRAINT "PK_schedules" PRIMARY KEY ("tenant_id", "id")
      )`);
    await q.query(`CREATE INDEX "ix_schedules_tenant_created" ON "schedules" ("tenant_id", "created_at", "id")`);
    await q.query(`CREATE INDEX "ix_schedules_tenant_run" ON "schedules" ("tenant_id", "run_id")`);
    const { query, queryRoot, projector } = DB_ROLES;
    await q.query(`GRANT SELECT ON "schedules" TO ${query}, ${queryRoot}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON "schedules" TO ${projector}`);
    await secureTenantTable(q, 'schedules');
  }

  async down(q: QueryRunner): Promise<void> {
    await unsecureTenantTable(q, 'schedules');
    await q.query(`DROP TABLE "schedules"`);
    await q.query(`ALTER TABLE "commands" DROP COLUMN "schedule_id"`);
  }
}
