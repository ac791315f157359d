import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ActionRuns1763800000000 implements MigrationInterface {
  name = 'ActionRuns1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "action_run_reports" (
        "tenant_id" text NOT NULL,
        "run_id" uuid NOT NULL,
        "position" bigint NOT NULL,
        "report" jsonb NOT NULL,
        "submitted_by" jsonb NOT NULL,
        "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_action_run_reports" PRIMARY KEY ("tenant_id", "run_id", "position")
      )`);
    await q.query(`
      CREATE TABLE "action_runs" (
        "tenant_id" text NOT NULL,
        "id" uuid NOT NULL,
        "workspace_name" text NOT NULL,
        "workspace_organization" text,
        "block_name" text NOT NULL,
        "block_from" text,
        "block_from_base" text,
        "block_version" text,
        "action" text NOT NULL,
        "status" text NOT NULL,
        "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "finished_at" TIMESTAMP(3) WITH TIME ZONE,
        "duration_ms" bigint,
        "exit_code" integer,
        "cli_version" text,
        "hostname" text,
        "os_user" text,
        "source_type" text NOT NULL,
        "source_id" text,
        "source_name" text NOT NULL,
        "retriggered_from" uuid,
        "command_id" uuid,
        "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "first_position" bigint NOT NULL,
        CONSTRAINT "PK_action_runs" PRIMARY KEY ("tenant_id", "id")
      )`);
    await q.query(`CREATE INDEX "ix_action_runs_tenant_started" ON "action_runs" ("tenant_id", "started_at", "id")`);
    await q.query(
      `CREATE INDEX "ix_action_runs_tenant_workspace" ON "action_runs" ("tenant_id", "workspace_name", "started_at", "id")`,
    );
    await q.query(`CREATE INDEX "ix_action_runs_tenant_block" ON "action_runs" ("tenant_id", "block_name", "started_at", "id")`);
    await q.query(`CREATE INDEX "ix_action_runs_tenant_retriggered" ON "action_runs" ("tenant_id", "retriggered_from")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "action_runs"`);
    await q.query(`DROP TABLE "action_run_reports"`);
  }
}
