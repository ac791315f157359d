import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditTimeline1763712000000 implements MigrationInterface {
  name = 'AuditTimeline1763712000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "audit_events" (
        "id" bigint NOT NULL,
        "tenant_id" text NOT NULL,
        "event_id" uuid NOT NULL,
        "happened_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "action" text NOT NULL,
        "version" text NOT NULL,
        "entity_type" text NOT NULL,
        "entity_id" text,
        "entity_name" text,
        "source_type" text NOT NULL,
        "source_id" text,
        "source_name" text NOT NULL,
        "success" boolean NOT NULL,
        "context" jsonb NOT NULL,
        "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "submitted_by" jsonb NOT NULL,
        "stream_seq" bigint NOT NULL,
        CONSTRAINT "PK_audit_events" PRIMARY KEY ("id")
      )`);
    await q.query(`CREATE UNIQUE INDEX "uq_audit_events_tenant_event" ON "audit_events" ("tenant_id", "event_id")`);
    await q.query(`CREATE INDEX "ix_audit_events_tenant_time" ON "audit_events" ("tenant_id", "happened_at", "id")`);
    await q.query(
      `CREATE INDEX "ix_audit_events_tenant_entity" ON "audit_events" ("tenant_id", "entity_type", "entity_id", "happened_at", "id")`,
    );
    await q.query(
      `CREATE INDEX "ix_audit_events_tenant_source" ON "audit_events" ("tenant_id", "source_name", "happened_at", "id")`,
    );
    await q.query(`
      CREATE TABLE "projector_checkpoints" (
        "consumer" text NOT NULL,
        "last_seq" bigint NOT NULL,
        "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_projector_checkpoints" PRIMARY KEY ("consumer")
      )`);
    await q.query(`
      CREATE TABLE "dead_letters" (
        "stream_seq" bigint NOT NULL,
        "subject" text NOT NULL,
        "reason" text NOT NULL,
        "payload" bytea NOT NULL,
        "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_dead_letters" PRIMARY KEY ("stream_seq")
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "dead_letters"`);
    await q.query(`DROP TABLE "projector_checkpoints"`);
    await q.query(`DROP TABLE "audit_events"`);
  }
}
