import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { secureTenantTable, unsecureTenantTable } from '../tenancy/tenant-table-security';
import { runChangesSql, statsAndDeploymentsBackfillSql } from './1764700000000-run-aggregates';

/**
 * Durations per bucket and dimension value over every status (docs/adr/0024, amendment):
 * the finished runs' count, the sum of their durations and their log-scale histogram, as
 * `action_run_stats` keeps them per status. A request with no status filter (and not
 * grouped by status) merges one histogram per bucket and value from here instead of one per
 * status: a year of stats by block reads 480 histograms instead of 1,824.
 *
 * Kept by triggers of their own on `action_runs`, beside the stats' (same change type, same
 * bins, same schema rule: functions in `public`, rows in the triggering table's schema).
 */
export class RunDurations1764900000000 implements MigrationInterface {
  name = 'RunDurations1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "action_run_durations" (
        "tenant_id" text NOT NULL,
        "grain" text NOT NULL CHECK ("grain" IN ('day', 'month')),
        "bucket" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "dimension" text NOT NULL CHECK ("dimension" IN ('', 'workspace', 'block', 'action', 'block_version')),
        "value" text,
        "finished" bigint NOT NULL,
        "duration_sum" numeric NOT NULL,
        "histogram" integer[]
      )`);
    await q.query(`
      CREATE UNIQUE INDEX "ux_action_run_durations_key" ON "action_run_durations"
        ("tenant_id", "grain", "dimension", "bucket", "value") NULLS NOT DISTINCT`);
    // Rows a change brought to zero finished runs, found without scanning; stays (nearly) empty.
    await q.query(`CREATE INDEX "ix_action_run_durations_empty" ON "action_run_durations" ("tenant_id") WHERE "finished" = 0`);
    const { query, queryRoot, projector } = DB_ROLES;
    await q.query(`GRANT SELECT ON "action_run_durations" TO ${query}, ${queryRoot}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "action_run_durations" TO ${projector}`);
    await secureTenantTable(q, 'action_run_durations');

    for (const sql of DURATION_FUNCTIONS) await q.query(sql);
    for (const sql of RUN_DURATION_TRIGGERS) await q.query(sql);

    // Backfill as the projector role (FORCE row level security hides tenant rows from the owner).
    await q.query(`SET LOCAL ROLE ${projector}`);
    await q.query(durationsBackfillSql('action_runs'));
    await q.query('RESET ROLE');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS "action_runs_durations_${t}" ON "action_runs"`);
    await unsecureTenantTable(q, 'action_run_durations');
    await q.query(`DROP TABLE "action_run_durations"`);
    // The functions stay: another schema of this database (a rebuild's) may still use them.
  }
}

/**
 * One statement that adds the changes `source` yields (rows with the run columns and
 * `sign`) to the durations table `table`: per UTC day and month and per dimension ('' for
 * all runs, else workspace, block, action or block_version), over the finished runs of
 * every status. As in `action_run_stats`, a run is finished when its status is not
 * `running` and it has a duration; changes that cancel out write nothing, and rows go in
 * key order.
 */
function durationsUpsertSql(source: string, table: string): string {
  return `
    WITH c AS (${source}),
    net AS (
      SELECT tenant_id, workspace_name, block_name, block_version, action, started_at, duration_ms AS dur, sum(sign)::integer AS sign
      FROM c WHERE status <> 'running' AND duration_ms IS NOT NULL
      GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(sign) <> 0
    ),
    x AS (
      SELECT n.tenant_id, g.grain, date_trunc(g.grain, n.started_at, 'UTC') AS bucket, d.dimension, d.value, n.sign, n.dur
      FROM net n
      CROSS JOIN (VALUES ('day'), ('month')) g(grain)
      CROSS JOIN LATERAL (VALUES ('', ''), ('workspace', n.workspace_name), ('block', n.block_name), ('action', n.action),
        ('block_version', n.block_version)) d(dimension, value)
    ),
    k AS (
      SELECT tenant_id, grain, bucket, dimension, value, sum(sign)::bigint AS finished, sum(sign * dur) AS duration_sum,
        public.runtrail_histogram_of(array_agg(public.runtrail_duration_bin(dur)), array_agg(sign::bigint)) AS histogram
      FROM x GROUP BY tenant_id, grain, dimension, bucket, value
    )
    INSERT INTO ${table} AS t (tenant_id, grain, bucket, dimension, value, finished, duration_sum, histogram)
    SELECT tenant_id, grain, bucket, dimension, value, finished, duration_sum, histogram
    FROM k ORDER BY tenant_id, grain, dimension, bucket, value
    ON CONFLICT (tenant_id, grain, dimension, bucket, value) DO UPDATE SET
      finished = t.finished + excluded.finished,
      duration_sum = t.duration_sum + excluded.duration_sum,
      histogram = public.runtrail_histogram_merge(t.histogram, excluded.histogram)`;
}

/**
 * Adds the runs of `runs` (a table or a subquery of action_runs rows, from code) to every
 * aggregate, as the triggers would have: for runs written while the triggers were off (a
 * bulk seed) and never counted yet.
 */
export function runAggregatesBackfillSql(runs: string): string[] {
  return [...statsAndDeploymentsBackfillSql(runs), durationsBackfillSql(runs)];
}

/** The durations of the runs of `runs`, added as if each had just been inserted. */
function durationsBackfillSql(runs: string): string {
  return durationsUpsertSql(`SELECT *, 1 AS sign FROM ${runs}`, 'action_run_durations');
}

const DURATION_FUNCTIONS = [
  `CREATE OR REPLACE FUNCTION public.runtrail_apply_run_durations(target text, changes public.runtrail_run_change[]) RETURNS void
     LANGUAGE plpgsql AS $fn$
     BEGIN
       IF coalesce(cardinality(changes), 0) = 0 THEN RETURN; END IF;
       EXECUTE replace($sql$${durationsUpsertSql('SELECT * FROM unnest($1)', '@.action_run_durations')}$sql$, '@', quote_ident(target)) USING changes;
       EXECUTE format('DELETE FROM %I.action_run_durations WHERE finished = 0', target);
     END $fn$`,
  // One function for the three row events: each branch names only the transition tables its event has.
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_durations() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         PERFORM public.runtrail_apply_run_durations(TG_TABLE_SCHEMA, ARRAY(${runChangesSql('new_rows', 1)}));
       ELSIF TG_OP = 'DELETE' THEN
         PERFORM public.runtrail_apply_run_durations(TG_TABLE_SCHEMA, ARRAY(${runChangesSql('old_rows', -1)}));
       ELSE
         PERFORM public.runtrail_apply_run_durations(TG_TABLE_SCHEMA, ARRAY(${runChangesSql('old_rows', -1)} UNION ALL ${runChangesSql('new_rows', 1)}));
       END IF;
       RETURN NULL;
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_durations_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       EXECUTE format('TRUNCATE %I.action_run_durations', TG_TABLE_SCHEMA);
       RETURN NULL;
     END $$`,
];

const RUN_DURATION_TRIGGERS = [
  `CREATE TRIGGER "action_runs_durations_insert" AFTER INSERT ON "action_runs"
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_durations()`,
  `CREATE TRIGGER "action_runs_durations_update" AFTER UPDATE ON "action_runs"
     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_durations()`,
  `CREATE TRIGGER "action_runs_durations_delete" AFTER DELETE ON "action_runs"
     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_durations()`,
  `CREATE TRIGGER "action_runs_durations_truncate" AFTER TRUNCATE ON "action_runs"
     FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_durations_truncated()`,
];
