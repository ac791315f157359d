import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit events gain `changes` (what an update changed) and `correlation_id`; action runs
 * gain `correlation_id` (docs/api.md#changes-and-correlationid). Existing rows keep null.
 *
 * The correlation indexes are partial: most rows carry no correlation id, and the filter
 * only ever asks for one. They end in the list order's columns, so one correlation's
 * newest page is read from the index in order. The GIN index serves `changes ? field`
 * (`changed_field=`); TypeORM cannot describe GIN, so its table definition marks it as
 * owned here.
 */
export class ChangesAndCorrelation1764200000000 implements MigrationInterface {
  name = 'ChangesAndCorrelation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "audit_events" ADD "changes" jsonb`);
    await q.query(`ALTER TABLE "audit_events" ADD "correlation_id" text`);
    await q.query(`ALTER TABLE "action_runs" ADD "correlation_id" text`);
    await q.query(
      `CREATE INDEX "ix_audit_events_tenant_correlation" ON "audit_events" ("tenant_id", "correlation_id", "happened_at", "id")
         WHERE "correlation_id" IS NOT NULL`,
    );
    await q.query(`CREATE INDEX "ix_audit_events_changes" ON "audit_events" USING gin ("changes")`);
    await q.query(
      `CREATE INDEX "ix_action_runs_tenant_correlation" ON "action_runs" ("tenant_id", "correlation_id", "started_at", "id")
         WHERE "correlation_id" IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "ix_action_runs_tenant_correlation"`);
    await q.query(`DROP INDEX "ix_audit_events_changes"`);
    await q.query(`DROP INDEX "ix_audit_events_tenant_correlation"`);
    await q.query(`ALTER TABLE "action_runs" DROP COLUMN "correlation_id"`);
    await q.query(`ALTER TABLE "audit_events" DROP COLUMN "correlation_id"`);
    await q.query(`ALTER TABLE "audit_events" DROP COLUMN "changes"`);
  }
}
