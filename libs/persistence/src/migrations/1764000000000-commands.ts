import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Commands1764000000000 implements MigrationInterface {
  name = 'Commands1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "commands" (
        "tenant_id" text NOT NULL,
        "id" uuid NOT NULL,
        "run_id" uuid NOT NULL,
        "runner_id" uuid NOT NULL,
        "status" text NOT NULL,
        "reason" text,
        "requested_by" jsonb NOT NULL,
        "requested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "new_run_id" uuid,
        "exit_code" integer,
        "revision" bigint NOT NULL,
        CONSTRAINT "PK_commands" PRIMARY KEY ("tenant_id", "id")
      )`);
    await q.query(`CREATE INDEX "ix_commands_tenant_requested" ON "commands" ("tenant_id", "requested_at", "id")`);
    await q.query(`CREATE INDEX "ix_commands_tenant_run" ON "commands" ("tenant_id", "run_id")`);
    await q.query(`CREATE INDEX "ix_commands_tenant_runner" ON "commands" ("tenant_id", "runner_id", "requested_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "commands"`);
  }
}
