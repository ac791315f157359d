import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DB_ROLES } from '../tenancy/db-roles';
import { secureTenantTable, unsecureTenantTable } from '../tenancy/tenant-table-security';

/**
 * Pre-aggregated run statistics and deployments (docs/adr/0024), kept by statement-level
 * triggers on `action_runs` in the transaction that writes the runs: the projector's batch,
 * an erasure's refold, a rebuild's own schema, or plain SQL (the benchmark's seeding).
 *
 * The functions and the change type live in `public`, schema-qualified, whatever schema
 * this migration runs in: a rebuild migrates a schema of its own, swaps its tables into
 * `public` and drops that schema with CASCADE, which would take triggers whose functions
 * lived there along. Each trigger writes the aggregates of the schema its table is in
 * (TG_TABLE_SCHEMA), so a rebuild's schema keeps its own.
 *
 * This migration is frozen: the bin width (gamma = 51/49, 2% relative error) is repeated
 * in libs/persistence/src/reads/run-duration-histogram.ts, which reads the bins back.
 */
export class RunAggregates1764700000000 implements MigrationInterface {
  name = 'RunAggregates1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE "action_run_stats" (
        "tenant_id" text NOT NULL,
        "grain" text NOT NULL CHECK ("grain" IN ('day', 'month')),
        "bucket" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "dimension" text NOT NULL CHECK ("dimension" IN ('', 'workspace', 'block', 'action', 'block_version')),
        "value" text,
        "status" text NOT NULL,
        "runs" bigint NOT NULL,
        "finished" bigint NOT NULL,
        "duration_sum" numeric NOT NULL,
        "histogram" integer[]
      )`);
    // NULLS NOT DISTINCT: a null block_version is one group, as GROUP BY makes it.
    await q.query(`
      CREATE UNIQUE INDEX "ux_action_run_stats_key" ON "action_run_stats"
        ("tenant_id", "grain", "dimension", "bucket", "value", "status") NULLS NOT DISTINCT`);
    // Rows a change brought to zero runs, found without scanning; stays (nearly) empty.
    await q.query(`CREATE INDEX "ix_action_run_stats_empty" ON "action_run_stats" ("tenant_id") WHERE "runs" = 0`);

    await q.query(`
      CREATE TABLE "action_run_deployments" (
        "tenant_id" text NOT NULL,
        "block_name" text NOT NULL,
        "workspace_name" text NOT NULL,
        "block_version" text,
        "status" text NOT NULL,
        "block_from" text,
        "block_from_base" text,
        "runs" bigint NOT NULL,
        "last_started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
        "last_finished_at" TIMESTAMP(3) WITH TIME ZONE,
        "last_run_id" uuid NOT NULL,
        "last_sort_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL
      )`);
    await q.query(`
      CREATE UNIQUE INDEX "ux_action_run_deployments_key" ON "action_run_deployments"
        ("tenant_id", "block_name", "workspace_name", "block_version", "status", "block_from") NULLS NOT DISTINCT`);

    const { query, queryRoot, projector } = DB_ROLES;
    for (const table of ['action_run_stats', 'action_run_deployments']) {
      await q.query(`GRANT SELECT ON "${table}" TO ${query}, ${queryRoot}`);
      // DELETE: a change can empty an aggregate row (the projector never deletes runs).
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON "${table}" TO ${projector}`);
      await secureTenantTable(q, table);
    }

    for (const sql of FUNCTIONS) await q.query(sql);
    for (const sql of RUN_AGGREGATE_TRIGGERS) await q.query(sql);

    // Backfill from the runs already there, as the owner's projector role (FORCE row
    // level security hides every tenant row from the owner itself).
    await q.query(`SET LOCAL ROLE ${projector}`);
    for (const sql of statsAndDeploymentsBackfillSql('action_runs')) await q.query(sql);
    await q.query('RESET ROLE');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER IF EXISTS "action_runs_aggregates_${t}" ON "action_runs"`);
    for (const table of ['action_run_stats', 'action_run_deployments']) {
      await unsecureTenantTable(q, table);
      await q.query(`DROP TABLE "${table}"`);
    }
    // The functions stay: another schema of this database (a rebuild's) may still use them.
  }
}

/** The fields of a run the aggregates use, plus +1 (now there) or -1 (no longer there). */
const CHANGE_FIELDS = `tenant_id text, id uuid, workspace_name text, block_name text, block_version text, action text,
  status text, block_from text, block_from_base text, started_at timestamptz, finished_at timestamptz, duration_ms bigint, sign integer`;
const CHANGE_COLUMNS = 'tenant_id, id, workspace_name, block_name, block_version, action, status, block_from, block_from_base, started_at, finished_at, duration_ms';

/** The rows of `source` (action_runs rows, or a transition table of it) as run changes of `sign`. */
export const runChangesSql = (source: string, sign: 1 | -1) => `SELECT ROW(${CHANGE_COLUMNS}, ${sign})::public.runtrail_run_change FROM ${source}`;

/**
 * One statement that adds the changes `source` yields (rows with the run columns and
 * `sign`) to the stats table `table`: per UTC day and month, per dimension ('' for all
 * runs, else workspace, block, action or block_version) and status: runs, finished runs,
 * the sum of their durations and the count of their durations per log-scale bin. An
 * update that leaves a run's figures as they were cancels out before anything is written.
 * Rows go in key order, so concurrent batches lock shared rows in the same order.
 */
function statsUpsertSql(source: string, table: string): string {
  return `
    WITH c AS (${source}),
    net AS (
      SELECT tenant_id, workspace_name, block_name, block_version, action, status, started_at,
        CASE WHEN status <> 'running' THEN duration_ms END AS dur, sum(sign)::integer AS sign
      FROM c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(sign) <> 0
    ),
    x AS (
      SELECT n.tenant_id, g.grain, date_trunc(g.grain, n.started_at, 'UTC') AS bucket, d.dimension, d.value, n.status, n.sign, n.dur
      FROM net n
      CROSS JOIN (VALUES ('day'), ('month')) g(grain)
      CROSS JOIN LATERAL (VALUES ('', ''), ('workspace', n.workspace_name), ('block', n.block_name), ('action', n.action),
        ('block_version', n.block_version)) d(dimension, value)
    ),
    k AS (
      SELECT tenant_id, grain, bucket, dimension, value, status, sum(sign)::bigint AS runs,
        coalesce(sum(sign) FILTER (WHERE dur IS NOT NULL), 0)::bigint AS finished, coalesce(sum(sign * dur), 0) AS duration_sum,
        public.runtrail_histogram_of(array_agg(public.runtrail_duration_bin(dur)) FILTER (WHERE dur IS NOT NULL),
          array_agg(sign::bigint) FILTER (WHERE dur IS NOT NULL)) AS histogram
      FROM x GROUP BY tenant_id, grain, dimension, bucket, value, status
    )
    INSERT INTO ${table} AS t (tenant_id, grain, bucket, dimension, value, status, runs, finished, duration_sum, histogram)
    SELECT tenant_id, grain, bucket, dimension, value, status, runs, finished, duration_sum, histogram
    FROM k ORDER BY tenant_id, grain, dimension, bucket, value, status
    ON CONFLICT (tenant_id, grain, dimension, bucket, value, status) DO UPDATE SET
      runs = t.runs + excluded.runs,
      finished = t.finished + excluded.finished,
      duration_sum = t.duration_sum + excluded.duration_sum,
      histogram = public.runtrail_histogram_merge(t.histogram, excluded.histogram)`;
}

/** The deployments of the runs in `source` (a query over action_runs), one row per key. */
function deploymentsOfRunsSql(source: string): string {
  return `
    SELECT tenant_id, block_name, workspace_name, block_version, status, block_from, min(block_from_base) AS block_from_base,
      count(*) AS runs, max(started_at) AS last_started_at, max(finished_at) AS last_finished_at,
      (array_agg(id ORDER BY coalesce(finished_at, started_at) DESC, id DESC))[1] AS last_run_id,
      max(coalesce(finished_at, started_at)) AS last_sort_at
    FROM (${source}) r
    GROUP BY tenant_id, block_name, workspace_name, block_version, status, block_from`;
}

const DEPLOYMENT_COLUMNS = `tenant_id, block_name, workspace_name, block_version, status, block_from, block_from_base,
  runs, last_started_at, last_finished_at, last_run_id, last_sort_at`;

/**
 * Adds the runs of `runs` (a table or a subquery of action_runs rows, from code) to both
 * aggregates of this migration, as the triggers would have: for runs written while the
 * triggers were off and never counted yet (runAggregatesBackfillSql adds the later ones).
 */
export function statsAndDeploymentsBackfillSql(runs: string): string[] {
  return [statsUpsertSql(`SELECT *, 1 AS sign FROM ${runs}`, 'action_run_stats'), deploymentsBackfillSql(runs)];
}

/** The deployments of the runs of `runs`, into an empty `action_run_deployments`. */
export function deploymentsBackfillSql(runs: string): string {
  return `INSERT INTO action_run_deployments (${DEPLOYMENT_COLUMNS}) ${deploymentsOfRunsSql(`SELECT * FROM ${runs}`)}`;
}

/** Key equality of a deployments row `t` with a row `d` of the same key columns. */
const DEPLOYMENT_KEY_MATCH = `t.tenant_id = d.tenant_id AND t.block_name = d.block_name AND t.workspace_name = d.workspace_name
  AND t.status = d.status AND t.block_version IS NOT DISTINCT FROM d.block_version AND t.block_from IS NOT DISTINCT FROM d.block_from`;

/**
 * The changes netted per run (an update that changed nothing the deployments keep cancels
 * out), and each key they touch: `lost` when a run left it, `delta` the runs it gained.
 */
const DEPLOYMENT_KEYS_CTE = `
  net AS (
    SELECT tenant_id, block_name, workspace_name, block_version, status, block_from, block_from_base, id, started_at, finished_at, sum(sign)::integer AS sign
    FROM unnest($1) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 HAVING sum(sign) <> 0
  ),
  keys AS (
    SELECT tenant_id, block_name, workspace_name, block_version, status, block_from, bool_or(sign < 0) AS lost, sum(sign)::bigint AS delta
    FROM net GROUP BY 1, 2, 3, 4, 5, 6
  )`;

/**
 * Applies run changes to the aggregates of one schema. Stats are sums, so a change is
 * added as it is. A deployment row's run count is a sum too; its maxima (last start,
 * finish, run) are not, and a removal cannot undo them: a row that lost a run (a run that
 * left it by changing status, version, workspace, block or reference) takes them again from
 * the runs as the statement left them (ix_action_runs_tenant_block_deployments serves the
 * read); a row that only gained runs takes the new ones in. Both hold whatever the order of
 * a statement's triggers: an upsert fires its UPDATE trigger before its INSERT trigger, and
 * the runs it inserted are in the table already when the UPDATE trigger reads it. Counting
 * them there too (before migration 1765000000000) counted them twice; maxima taken from
 * runs the INSERT trigger then adds are unchanged by it.
 */
export const APPLY_RUN_CHANGES_SQL = `CREATE OR REPLACE FUNCTION public.runtrail_apply_run_changes(target text, changes public.runtrail_run_change[]) RETURNS void
     LANGUAGE plpgsql AS $fn$
     BEGIN
       IF coalesce(cardinality(changes), 0) = 0 THEN RETURN; END IF;
       EXECUTE replace($sql$${statsUpsertSql('SELECT * FROM unnest($1)', '@.action_run_stats')}$sql$, '@', quote_ident(target)) USING changes;
       EXECUTE format('DELETE FROM %I.action_run_stats WHERE runs = 0', target);
       EXECUTE replace($sql$
         WITH ${DEPLOYMENT_KEYS_CTE},
         fresh AS (
           ${deploymentsOfRunsSql(`SELECT r.* FROM @.action_runs r JOIN keys d ON d.lost AND ${DEPLOYMENT_KEY_MATCH.replace(/\bt\./g, 'r.')}`)}
         )
         UPDATE @.action_run_deployments t SET
           runs = t.runs + d.delta,
           block_from_base = coalesce(f.block_from_base, t.block_from_base),
           last_started_at = coalesce(f.last_started_at, t.last_started_at),
           last_finished_at = CASE WHEN f.tenant_id IS NULL THEN t.last_finished_at ELSE f.last_finished_at END,
           last_run_id = coalesce(f.last_run_id, t.last_run_id),
           last_sort_at = coalesce(f.last_sort_at, t.last_sort_at)
         FROM keys d LEFT JOIN fresh f ON ${DEPLOYMENT_KEY_MATCH.replace(/\bt\./g, 'f.')}
         WHERE d.lost AND ${DEPLOYMENT_KEY_MATCH}
       $sql$, '@', quote_ident(target)) USING changes;
       EXECUTE format('DELETE FROM %I.action_run_deployments WHERE runs <= 0', target);
       EXECUTE replace($sql$
         WITH ${DEPLOYMENT_KEYS_CTE},
         fresh AS (
           ${deploymentsOfRunsSql(`SELECT n.* FROM net n JOIN keys d ON NOT d.lost AND ${DEPLOYMENT_KEY_MATCH.replace(/\bt\./g, 'n.')}`)}
         )
         INSERT INTO @.action_run_deployments AS t (${DEPLOYMENT_COLUMNS})
         SELECT ${DEPLOYMENT_COLUMNS} FROM fresh ORDER BY tenant_id, block_name, workspace_name, block_version, status, block_from
         ON CONFLICT (tenant_id, block_name, workspace_name, block_version, status, block_from) DO UPDATE SET
           runs = t.runs + excluded.runs,
           last_started_at = greatest(t.last_started_at, excluded.last_started_at),
           last_finished_at = greatest(t.last_finished_at, excluded.last_finished_at),
           last_run_id = CASE WHEN (excluded.last_sort_at, excluded.last_run_id) > (t.last_sort_at, t.last_run_id) THEN excluded.last_run_id ELSE t.last_run_id END,
           block_from_base = excluded.block_from_base,
           last_sort_at = greatest(t.last_sort_at, excluded.last_sort_at)
       $sql$, '@', quote_ident(target)) USING changes;
     END $fn$`;

const FUNCTIONS = [
  // IF NOT EXISTS by hand: a rebuild's schema runs this migration again.
  `DO $$ BEGIN
     CREATE TYPE public.runtrail_run_change AS (${CHANGE_FIELDS});
   EXCEPTION WHEN duplicate_object THEN NULL;
   END $$`,
  // The log-scale bin of a duration: bin k+1 holds (gamma^(k-1), gamma^k] ms, bin 0 holds 0 (and below).
  `CREATE OR REPLACE FUNCTION public.runtrail_duration_bin(ms bigint) RETURNS integer
     LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
       SELECT CASE WHEN ms IS NULL THEN NULL WHEN ms <= 0 THEN 0
         ELSE ceil(ln(ms::float8) / ln(51.0::float8 / 49.0::float8))::integer + 1 END
     $$`,
  // A histogram is an integer[] subscripted by bin, in one canonical form whatever the
  // changes that led to it (so a rebuilt table equals the incrementally kept one): from its
  // lowest to its highest non-empty bin, an empty bin inside as null, no bins at all as null.
  `CREATE OR REPLACE FUNCTION public.runtrail_histogram_canonical(h integer[]) RETURNS integer[]
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
     DECLARE r integer[] := '{}'; i integer;
     BEGIN
       IF h IS NULL OR cardinality(h) = 0 THEN RETURN NULL; END IF;
       FOR i IN array_lower(h, 1) .. array_upper(h, 1) LOOP
         IF h[i] <> 0 THEN r[i] := h[i]; END IF;
       END LOOP;
       RETURN CASE WHEN cardinality(r) = 0 THEN NULL ELSE r END;
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_histogram_of(bins integer[], counts bigint[]) RETURNS integer[]
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
     DECLARE r integer[] := '{}'; i integer;
     BEGIN
       IF bins IS NULL THEN RETURN NULL; END IF;
       FOR i IN 1 .. coalesce(array_length(bins, 1), 0) LOOP
         r[bins[i]] := coalesce(r[bins[i]], 0) + counts[i];
       END LOOP;
       RETURN public.runtrail_histogram_canonical(r);
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_histogram_merge(a integer[], b integer[]) RETURNS integer[]
     LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
     DECLARE r integer[] := a; i integer;
     BEGIN
       IF b IS NULL THEN RETURN a; END IF;
       IF r IS NULL THEN RETURN b; END IF;
       FOR i IN array_lower(b, 1) .. array_upper(b, 1) LOOP
         IF b[i] <> 0 THEN r[i] := coalesce(r[i], 0) + b[i]; END IF;
       END LOOP;
       RETURN public.runtrail_histogram_canonical(r);
     END $$`,
  APPLY_RUN_CHANGES_SQL,
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM public.runtrail_apply_run_changes(TG_TABLE_SCHEMA,
         ARRAY(${runChangesSql('new_rows', 1)}));
       RETURN NULL;
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_updated() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM public.runtrail_apply_run_changes(TG_TABLE_SCHEMA, ARRAY(
         ${runChangesSql('old_rows', -1)} UNION ALL ${runChangesSql('new_rows', 1)}));
       RETURN NULL;
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       PERFORM public.runtrail_apply_run_changes(TG_TABLE_SCHEMA,
         ARRAY(${runChangesSql('old_rows', -1)}));
       RETURN NULL;
     END $$`,
  `CREATE OR REPLACE FUNCTION public.runtrail_action_runs_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       EXECUTE format('TRUNCATE %I.action_run_stats, %I.action_run_deployments', TG_TABLE_SCHEMA, TG_TABLE_SCHEMA);
       RETURN NULL;
     END $$`,
];

export const RUN_AGGREGATE_TRIGGERS = [
  `CREATE TRIGGER "action_runs_aggregates_insert" AFTER INSERT ON "action_runs"
     REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_inserted()`,
  `CREATE TRIGGER "action_runs_aggregates_update" AFTER UPDATE ON "action_runs"
     REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_updated()`,
  `CREATE TRIGGER "action_runs_aggregates_delete" AFTER DELETE ON "action_runs"
     REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_deleted()`,
  `CREATE TRIGGER "action_runs_aggregates_truncate" AFTER TRUNCATE ON "action_runs"
     FOR EACH STATEMENT EXECUTE FUNCTION public.runtrail_action_runs_truncated()`,
];
