import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MONTHS_AHEAD, defaultPartitionName, ensureTimePartitions, type TimePartitionedTable } from '../partitions/time-partitions';
import { DB_ROLES } from '../tenancy/db-roles';
import { asProjector } from '../tenancy/tenant-reader';
import { secureTenantTable } from '../tenancy/tenant-table-security';
import { RUN_AGGREGATE_TRIGGERS } from './1764700000000-run-aggregates';

/** Each table's primary key, partitioned (with `received_at`) and as it was. */
const KEYS: Record<TimePartitionedTable, { partitioned: string; plain: string }> = {
  audit_events: { partitioned: '"id", "received_at"', plain: '"id"' },
  action_runs: { partitioned: '"tenant_id", "id", "received_at"', plain: '"tenant_id", "id"' },
  action_run_reports: { partitioned: '"tenant_id", "run_id", "position", "received_at"', plain: '"tenant_id", "run_id", "position"' },
};

/** A unique index of a partitioned table must hold the partition key; audit_event_keys takes this one's place. */
const EVENT_ID_INDEX = 'uq_audit_events_tenant_event';
const EVENT_ID_INDEX_SQL = `CREATE UNIQUE INDEX "${EVENT_ID_INDEX}" ON "audit_events" ("tenant_id", "event_id")`;

/**
 * `audit_events`, `action_runs` and `action_run_reports` become tables partitioned by UTC
 * month of `received_at`, so that retention drops a month instead of deleting its rows
 * (docs/adr/0026-time-partitions.md). Rows, indexes, grants, row-level security and the run
 * aggregates' triggers stay as they were; `(tenant_id, event_id)` stays unique through the
 * new `audit_event_keys`.
 *
 * Postgres cannot turn a table into a partitioned one in place: each table is made again
 * beside the old one and the rows are copied (as the projector role: FORCE row-level
 * security hides them from the owner). They land in the DEFAULT partition and move from
 * there into the month partitions made for them, as the projector's upkeep would move
 * them. The indexes are made again from the old table's own definitions, after the copy.
 */
export class TimePartitions1764800000000 implements MigrationInterface {
  name = 'TimePartitions1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const indexes = new Map<TimePartitionedTable, string[]>();
    for (const table of ['audit_events', 'action_runs', 'action_run_reports'] as const) {
      indexes.set(table, (await setAside(q, table)).filter((i) => i.name !== EVENT_ID_INDEX).map((i) => i.sql));
      await q.query(`
        CREATE TABLE "${table}" (LIKE "${table}_unpartitioned" INCLUDING DEFAULTS, CONSTRAINT "PK_${table}" PRIMARY KEY (${KEYS[table].partitioned}))
        PARTITION BY RANGE ("received_at")`);
      await q.query(`CREATE TABLE "${defaultPartitionName(table)}" PARTITION OF "${table}" DEFAULT`);
      await grantAndSecure(q, table);
      await copyRows(q, `${table}_unpartitioned`, table);
    }
    await ensureTimePartitions(q, new Date(), MONTHS_AHEAD);
    for (const [table, sqls] of indexes) {
      for (const sql of sqls) await q.query(sql);
      await q.query(`DROP TABLE "${table}_unpartitioned"`);
    }
    // After the copy: the runs are in the aggregates already.
    for (const sql of RUN_AGGREGATE_TRIGGERS) await q.query(sql);

    await q.query(`
      CREATE TABLE "audit_event_keys" (
        "tenant_id" text NOT NULL,
        "event_id" uuid NOT NULL,
        "id" bigint NOT NULL,
        "received_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "run_entry" boolean NOT NULL,
        CONSTRAINT "PK_audit_event_keys" PRIMARY KEY ("tenant_id", "event_id")
      )`);
    await grantAndSecure(q, 'audit_event_keys');
    await asProjector(q, () =>
      q.query(`
        INSERT INTO audit_event_keys (tenant_id, event_id, id, received_at, run_entry)
        SELECT tenant_id, event_id, id, received_at, entity_type = 'ActionRun' AND action = 'Run' FROM audit_events`),
    );
    // Emptying the timeline empties its keys, or a key would keep an event it no longer has from being stored again.
    await q.query(`
      CREATE OR REPLACE FUNCTION public.runtrail_audit_events_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        EXECUTE format('TRUNCATE %I.audit_event_keys', TG_TABLE_SCHEMA);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER "audit_events_keys_truncate" AFTER TRUNCATE ON "audit_events" FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_audit_events_truncated()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER "audit_events_keys_truncate" ON "audit_events"`);
    await q.query(`DROP TABLE "audit_event_keys"`);
    for (const table of ['audit_events', 'action_runs', 'action_run_reports'] as const) {
      const sqls = (await setAside(q, table)).map((i) => i.sql);
      await q.query(`CREATE TABLE "${table}" (LIKE "${table}_unpartitioned" INCLUDING DEFAULTS, CONSTRAINT "PK_${table}" PRIMARY KEY (${KEYS[table].plain}))`);
      await grantAndSecure(q, table);
      await copyRows(q, `${table}_unpartitioned`, table);
      for (const sql of sqls) await q.query(sql);
      if (table === 'audit_events') await q.query(EVENT_ID_INDEX_SQL);
      await q.query(`DROP TABLE "${table}_unpartitioned" CASCADE`);
    }
    for (const sql of RUN_AGGREGATE_TRIGGERS) await q.query(sql);
  }
}

/**
 * Renames `table` to `<table>_unpartitioned` (its primary key too, whose index name the new
 * table needs) and drops its other indexes; answers their definitions, to make them again on
 * the new table. The definitions name the table, qualified by its schema, as it was named
 * before the rename: run after the new table exists, they index that one.
 */
async function setAside(q: QueryRunner, table: TimePartitionedTable): Promise<{ name: string; sql: string }[]> {
  const rows: { name: string; sql: string }[] = await q.query(
    `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS sql
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = format('%I.%I', current_schema(), $1::text)::regclass AND NOT i.indisprimary
      ORDER BY c.relname`,
    [table],
  );
  for (const { name } of rows) await q.query(`DROP INDEX "${name}"`);
  await q.query(`ALTER TABLE "${table}" RENAME TO "${table}_unpartitioned"`);
  await q.query(`ALTER TABLE "${table}_unpartitioned" RENAME CONSTRAINT "PK_${table}" TO "PK_${table}_unpartitioned"`);
  return rows;
}

/** The grants and row-level security of a tenant table (docs/adr/0009), DELETE now included for the projector (ADR 0026). */
async function grantAndSecure(q: QueryRunner, table: string): Promise<void> {
  const { query, queryRoot, projector } = DB_ROLES;
  await q.query(`GRANT SELECT ON "${table}" TO ${query}, ${queryRoot}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${projector}`);
  await secureTenantTable(q, table);
}

async function copyRows(q: QueryRunner, from: string, to: string): Promise<void> {
  await asProjector(q, () => q.query(`INSERT INTO "${to}" SELECT * FROM "${from}"`));
}
