import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { ensureTimePartitions, runAggregatesBackfillSql } from '@runtrail/persistence';
import {
  ABORTED_EXIT_CODES_WEIGHTED,
  ACTIONS_WEIGHTED,
  BLOCKS_WEIGHTED,
  CLI_VERSIONS_WEIGHTED,
  FAILED_EXIT_CODES_WEIGHTED,
  HOSTNAMES,
  MAX_DURATION_MS,
  MIN_DURATION_MS,
  OS_USERS,
  SEED_END,
  SEED_START,
  SOURCES_WEIGHTED,
  STATUSES_WEIGHTED,
  WORKSPACES_WEIGHTED,
  type Weighted,
} from './seed-action-runs';

/** The measured tenant comes first; the other nine share the tables with it. */
export const SEED_TENANTS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka', 'tyrell', 'cyberdyne'];
export const MEASURED_TENANT = SEED_TENANTS[0];

/** Seeded ids start here: far above the projector's `stream_seq * 1024 + index`, so they never meet. */
const ID_BASE = 10n ** 13n;
/** Rows per INSERT statement: large enough to be fast, small enough to report progress. */
const CHUNK = 250_000;
/** Weighted picks become arrays of this many slots, indexed by a uniform hash in SQL. */
const SLOTS = 1000;

export interface SeedPlan {
  /** Action runs, spread evenly over the ten tenants. */
  runs: number;
  /** Audit events of each of the nine other tenants; the measured tenant has `measuredAuditEvents`. */
  auditEventsPerTenant: number;
  measuredAuditEvents: number;
}

/**
 * BENCH_ROWS rows in each table among ten tenants. The measured tenant also needs the
 * rows the export downloads (and page 10,000 of its timeline): where its tenth of the
 * audit events is fewer, it gets more, in whole multiples of the others' share so the
 * tenants stay interleaved evenly.
 */
export function seedPlan(rows: number, exportRows: number): SeedPlan {
  const perTenant = Math.max(1, Math.floor(rows / SEED_TENANTS.length));
  const share = Math.max(1, Math.ceil(exportRows / perTenant));
  return { runs: perTenant * SEED_TENANTS.length, auditEventsPerTenant: perTenant, measuredAuditEvents: perTenant * share };
}

export interface SeedResult {
  plan: SeedPlan;
  auditEvents: number;
  runs: number;
  insertSeconds: number;
  vacuumSeconds: number;
}

/** `size` slots holding each value's index as often as its weight says (at least once). */
function slots<T>(items: Weighted<T>[], size = SLOTS): number[] {
  const total = items.reduce((s, i) => s + i.weight, 0);
  const out: number[] = [];
  items.forEach((item, index) => {
    const n = Math.max(1, Math.round((item.weight / total) * size));
    for (let k = 0; k < n; k++) out.push(index + 1);
  });
  return out;
}

/** A uniform number in [0, 1) from the row number (or `of`) and a per-column seed: deterministic, no PRNG state. */
const u = (seed: number, of = 'g'): string => `((hashint8extended(${of}, ${seed}) & 4503599627370495)::float8 / 4503599627370496.0)`;
/** The value of a slot array at a uniform pick. */
const pick = (slotsParam: string, seed: number): string => `(${slotsParam})[1 + floor(${u(seed)} * cardinality(${slotsParam}))::int]`;

/**
 * Action runs of the seed-action-runs model (workspaces, blocks with versions rolled out
 * over the year, statuses, log-normal durations), generated in SQL: row g belongs to
 * tenant g mod 10 and starts in slot g of the year, so every tenant's runs interleave in
 * the heap in time order, as the projector would have written them. Three in ten groups
 * of 40 rows share a correlation id (four runs of each tenant, one pipeline).
 */
const RUNS_SQL = `
INSERT INTO action_runs (tenant_id, id, workspace_name, workspace_organization, block_name, block_from, block_from_base,
  block_version, action, status, started_at, finished_at, duration_ms, exit_code, cli_version, hostname, os_user,
  source_type, source_id, source_name, retriggered_from, command_id, received_at, updated_at, correlation_id, first_position)
SELECT tenant, id, ($4::text[])[ws], ($5::text[])[ws], ($7::text[])[b], ($8::text[])[b] || ':' || version, ($8::text[])[b], version,
  action, status, started_at, finished_at, duration_ms, exit_code, cli_version, hostname, os_user,
  ($16::text[])[src], ($17::text[])[src], ($18::text[])[src], NULL, NULL,
  coalesce(finished_at, started_at) + make_interval(secs => (50 + floor(${u(11)} * 1500)) / 1000.0),
  coalesce(finished_at, started_at) + make_interval(secs => (50 + floor(${u(11)} * 1500)) / 1000.0),
  CASE WHEN ${u(12, 'g / 40')} < 0.3 THEN 'pipeline-' || (g / 40) END, ${ID_BASE} + g
FROM (
  SELECT g, tenant, id, ws, b, action, status, started_at, cli_version, hostname, os_user, src, duration_ms,
    started_at + make_interval(secs => duration_ms / 1000.0) AS finished_at,
    CASE status WHEN 'successful' THEN 0 WHEN 'failed' THEN ${pick('$13::int[]', 9)} WHEN 'aborted' THEN ${pick('$14::int[]', 9)} END AS exit_code,
    ($9::text[])[(b - 1) * 6 + 1 + greatest(0, least(nv - 1, floor(year_share * nv)::int) - CASE WHEN ${u(5)} < 0.2 THEN 1 ELSE 0 END)] AS version
  FROM (
    SELECT g, tenant, id, ws, b, action, status, started_at, cli_version, hostname, os_user, src, year_share, ($10::int[])[b] AS nv,
      CASE WHEN status = 'running' THEN NULL
        ELSE round(least(${MAX_DURATION_MS}, greatest(${MIN_DURATION_MS},
          exp(ln(90000) + 1.1 * sqrt(-2 * ln(1 - ${u(7)})) * cos(2 * pi() * ${u(8)})))))::bigint END AS duration_ms
    FROM (
      SELECT g, ($3::text[])[1 + g % cardinality($3::text[])] AS tenant, md5('run:' || g)::uuid AS id,
        ${pick('$6::int[]', 1)} AS ws, ${pick('$11::int[]', 2)} AS b,
        ($19::text[])[${pick('$20::int[]', 3)}] AS action, ($21::text[])[${pick('$22::int[]', 4)}] AS status,
        to_timestamp(floor(${SEED_START} + (g + ${u(6)}) * ${SEED_END - SEED_START}::float8 / $2) / 1000.0) AS started_at,
        (g + 0.5) / $2 AS year_share,
        ($23::text[])[${pick('$24::int[]', 10)}] AS cli_version,
        ($15::text[])[1 + floor(${u(13)} * cardinality($15::text[]))::int] AS hostname,
        ($25::text[])[1 + floor(${u(14)} * cardinality($25::text[]))::int] AS os_user,
        ${pick('$26::int[]', 15)} AS src
      FROM generate_series($1::bigint, $12::bigint) g
    ) r
  ) d
) v`;

/** Up to six versions per block, flattened (a block with fewer repeats its last). */
function flatVersions(): string[] {
  return BLOCKS_WEIGHTED.flatMap(({ value }) => Array.from({ length: 6 }, (_, k) => value.versions[Math.min(k, value.versions.length - 1)]));
}

function runParams(total: number, from: number, to: number): unknown[] {
  const ws = WORKSPACES_WEIGHTED.map((w) => w.value);
  const blocks = BLOCKS_WEIGHTED.map((b) => b.value);
  const sources = SOURCES_WEIGHTED.map((s) => s.value);
  return [
    from, // $1
    total, // $2
    SEED_TENANTS, // $3
    ws.map((w) => w.name), // $4
    ws.map((w) => w.organization), // $5
    slots(WORKSPACES_WEIGHTED), // $6
    blocks.map((b) => b.name), // $7
    blocks.map((b) => b.base), // $8
    flatVersions(), // $9
    blocks.map((b) => b.versions.length), // $10
    slots(BLOCKS_WEIGHTED), // $11
    to, // $12
    slots(FAILED_EXIT_CODES_WEIGHTED).map((i) => FAILED_EXIT_CODES_WEIGHTED[i - 1].value), // $13
    slots(ABORTED_EXIT_CODES_WEIGHTED).map((i) => ABORTED_EXIT_CODES_WEIGHTED[i - 1].value), // $14
    HOSTNAMES, // $15
    sources.map((s) => s.type), // $16
    sources.map((s) => s.id), // $17
    sources.map((s) => s.name), // $18
    ACTIONS_WEIGHTED.map((a) => a.value), // $19
    slots(ACTIONS_WEIGHTED), // $20
    STATUSES_WEIGHTED.map((s) => s.value), // $21
    slots(STATUSES_WEIGHTED), // $22
    CLI_VERSIONS_WEIGHTED.map((c) => c.value), // $23
    slots(CLI_VERSIONS_WEIGHTED), // $24
    OS_USERS, // $25
    slots(SOURCES_WEIGHTED), // $26
  ];
}

const AUDIT_ACTIONS: Weighted<string>[] = [
  { value: 'Update', weight: 45 },
  { value: 'Create', weight: 25 },
  { value: 'Login', weight: 15 },
  { value: 'Delete', weight: 10 },
  { value: 'Logout', weight: 5 },
];
const ENTITY_TYPES: Weighted<string>[] = [
  { value: 'User', weight: 30 },
  { value: 'Project', weight: 25 },
  { value: 'Group', weight: 15 },
  { value: 'Department', weight: 10 },
  { value: 'Settings', weight: 10 },
  { value: 'Applications', weight: 10 },
];
/** Field names an Update's `changes` names (one each), for `changed_field=`. */
export const CHANGED_FIELDS = ['name', 'description', 'owner', 'role', 'quota', 'visibility', 'email', 'plan'];
const USER_AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'control-plane-sync/2.3.1 (+https://example.com/control-plane; linux/amd64)',
  'terraform-provider-acme/1.8.0 (go1.22.2; linux/amd64)',
];
/** Principals per tenant; low numbers act far more often (quadratic skew): user0 ~4.5%, user7 ~0.8%, user250 ~0.14%. */
export const AUDIT_SOURCES = 500;

/**
 * Control-plane audit events: ten tenants interleaved by `$3` (a pattern of tenant ids in
 * which the measured one may appear several times), times in slot order over the year,
 * weighted actions and entity types, 20,000 entity ids per type, 500 skewed principals
 * per tenant (every tenth an Application), 5% failures, a user agent and an address in
 * `context`, `changes` on Updates, a correlation id on a fifth (five rounds of the tenant
 * pattern share one: five events of a tenant, more of the measured one).
 */
const AUDIT_SQL = `
INSERT INTO audit_events (id, tenant_id, event_id, happened_at, action, version, entity_type, entity_id, entity_name,
  source_type, source_id, source_name, success, context, received_at, changes, correlation_id, submitted_by, stream_seq)
SELECT ${ID_BASE} + g, tenant, md5('evt:' || g)::uuid, happened_at, action, '1.0', entity_type, entity_id,
  lower(entity_type) || '-' || (entity_num % 997),
  CASE WHEN src % 10 = 0 THEN 'Application' ELSE 'User' END,
  md5(tenant || ':src:' || src)::uuid::text,
  CASE WHEN src % 10 = 0 THEN 'svc-' || src || '@' || tenant || '.example' ELSE 'user' || src || '@' || tenant || '.example' END,
  ${u(5)} >= 0.05,
  jsonb_build_object('user_agent', ($5::text[])[1 + floor(${u(6)} * cardinality($5::text[]))::int],
    'ip_address', '10.' || (g >> 16 & 255) || '.' || (g >> 8 & 255) || '.' || (g & 255)),
  happened_at + make_interval(secs => (20 + floor(${u(7)} * 2000)) / 1000.0),
  CASE WHEN action = 'Update' THEN jsonb_build_object(($6::text[])[1 + floor(${u(8)} * cardinality($6::text[]))::int],
    jsonb_build_object('before', 'v' || (entity_num % 100), 'after', 'v' || (entity_num % 100 + 1))) END,
  CASE WHEN ${u(9, `g / (5 * cardinality($3::text[]))`)} < 0.2 THEN 'chg-' || (g / (5 * cardinality($3::text[]))) END,
  jsonb_build_object('type', 'Application', 'id', md5(tenant || ':key')::uuid::text, 'name', 'control-plane'),
  g + 1
FROM (
  SELECT g, ($3::text[])[1 + g % cardinality($3::text[])] AS tenant,
    to_timestamp(floor(${SEED_START} + (g + ${u(1)}) * ${SEED_END - SEED_START}::float8 / $2) / 1000.0) AS happened_at,
    ($7::text[])[${pick('$8::int[]', 2)}] AS action,
    ($9::text[])[${pick('$10::int[]', 3)}] AS entity_type,
    floor(${u(4)} * 20000)::int AS entity_num,
    (100000 + floor(${u(4)} * 20000)::int)::text AS entity_id,
    floor(${AUDIT_SOURCES} * ${u(10)} * ${u(10)})::int AS src
  FROM generate_series($1::bigint, $4::bigint) g
) e`;

/** The tenants' order in the audit table: the measured tenant `share` times per round, the others once. */
function auditTenantPattern(plan: SeedPlan): string[] {
  const share = plan.measuredAuditEvents / plan.auditEventsPerTenant;
  return [...Array.from({ length: share }, () => MEASURED_TENANT), ...SEED_TENANTS.slice(1)];
}

function auditParams(plan: SeedPlan, total: number, from: number, to: number): unknown[] {
  return [
    from, // $1
    total, // $2
    auditTenantPattern(plan), // $3
    to, // $4
    USER_AGENTS, // $5
    CHANGED_FIELDS, // $6
    AUDIT_ACTIONS.map((a) => a.value), // $7
    slots(AUDIT_ACTIONS), // $8
    ENTITY_TYPES.map((e) => e.value), // $9
    slots(ENTITY_TYPES), // $10
  ];
}

/**
 * Fills `table` in chunks with its secondary indexes dropped, then builds them again from
 * their own definitions (whatever the migrations made, read back from pg_indexes): one
 * sorted build per index was about 2.5 times faster here than growing them row by row
 * (200,000 audit events). Indexes behind a constraint (the primary key) stay. Nothing
 * else writes the table meanwhile.
 */
async function fillTable(db: Client, table: string, total: number, statement: (from: number, to: number) => [string, unknown[]], onChunk: (done: number) => void): Promise<void> {
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = $1
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
    [table],
  );
  for (const index of indexes) await db.query(`DROP INDEX "${index.name.replace(/"/g, '')}"`);
  for (let from = 0; from < total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK) - 1;
    const [text, params] = statement(from, to);
    await db.query(text, params);
    onChunk(to + 1);
  }
  await db.query(`SET maintenance_work_mem = '256MB'`);
  // A partitioned table's definition reads `ON ONLY`, which would index the parent alone
  // (an invalid index no query can use); without ONLY, Postgres indexes every partition.
  for (const index of indexes) await db.query(index.def.replace(/ ON ONLY /, ' ON '));
  const { rows: invalid } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE i.indrelid = format('%I.%I', current_schema(), $1::text)::regclass AND NOT i.indisvalid`,
    [table],
  );
  if (invalid.length > 0) throw new Error(`seeding left invalid indexes on ${table}: ${invalid.map((i) => i.name).join(', ')}`);
}

/**
 * Everything the query figures read, straight into the tables (no ingest, no projector,
 * no integrity log): BENCH_ROWS action runs and BENCH_ROWS audit events (plus the export's
 * share, see seedPlan) among ten tenants, deterministic, then VACUUM ANALYZE. `runsDb`
 * and `auditDb` are two connections, so the two tables fill in parallel on two cores.
 *
 * This is the one place seeded data is made: tables derived from these two are backfilled
 * here, after the inserts and before the VACUUM. The run aggregates' triggers (ADR 0024) are
 * off while the runs go in, and the seeded tenants' runs are counted at once afterwards with
 * the migration's own backfill: counting them row batch by row batch through the triggers
 * is several times slower (it would dominate a 10M-row seed).
 */
export async function seedBenchData(runsDb: Client, auditDb: Client, plan: SeedPlan, log: (m: string) => void): Promise<SeedResult> {
  const auditTotal = plan.measuredAuditEvents + plan.auditEventsPerTenant * (SEED_TENANTS.length - 1);
  const t0 = performance.now();
  const progress = (what: string, total: number) => (done: number) => log(`  ${what}: ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')}`);
  // Each seeded month in its own partition, as the projector's upkeep would have made them (ADR 0026).
  await runsDb.query('BEGIN');
  await ensureTimePartitions({ query: async (sql, params) => (await runsDb.query(sql, params)).rows }, new Date(), undefined, new Date(SEED_START - 31 * 86_400_000));
  await runsDb.query('COMMIT');
  await runsDb.query('ALTER TABLE action_runs DISABLE TRIGGER USER');
  await Promise.all([
    fillTable(runsDb, 'action_runs', plan.runs, (from, to) => [RUNS_SQL, runParams(plan.runs, from, to)], progress('action_runs', plan.runs)).then(async () => {
      await runsDb.query('ALTER TABLE action_runs ENABLE TRIGGER USER');
      for (const sql of runAggregatesBackfillSql('action_runs WHERE tenant_id = ANY($1::text[])')) await runsDb.query(sql, [SEED_TENANTS]);
    }),
    fillTable(auditDb, 'audit_events', auditTotal, (from, to) => [AUDIT_SQL, auditParams(plan, auditTotal, from, to)], progress('audit_events', auditTotal)).then(() =>
      // Their (tenant, eventId) keys, as the projector writes them beside each event (ADR 0026).
      auditDb.query(`INSERT INTO audit_event_keys (tenant_id, event_id, id, received_at, run_entry)
        SELECT tenant_id, event_id, id, received_at, false FROM audit_events WHERE tenant_id = ANY($1::text[])`, [SEED_TENANTS]),
    ),
  ]);
  const t1 = performance.now();
  await Promise.all([runsDb.query('VACUUM ANALYZE action_runs'), auditDb.query('VACUUM ANALYZE audit_events')]);
  const t2 = performance.now();
  return { plan, auditEvents: auditTotal, runs: plan.runs, insertSeconds: (t1 - t0) / 1000, vacuumSeconds: (t2 - t1) / 1000 };
}
