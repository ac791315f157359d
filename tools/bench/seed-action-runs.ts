/**
 * Seeds generated action runs for one tenant straight into `action_runs` (no ingest,
 * no projector), for measuring the query side on a realistic volume.
 *
 *   npm run build && node dist/tools/bench/seed-action-runs.js --database <name> --tenant <id> --runs 1000000
 *
 * The database is created and migrated first (`openDatabase`). Rows go in with the
 * projector's own statement (UPSERT_ACTION_RUNS_SQL / actionRunColumns), 5,000 rows per
 * statement, one statement after another on one connection; then `VACUUM ANALYZE
 * action_runs` sets the visibility map (index-only scans) and fresh statistics. It prints
 * the seed rate (rows/s of the inserts alone, and with the VACUUM ANALYZE).
 *
 * The data is deterministic (mulberry32, fixed seed): the same arguments give the same
 * rows. `started_at` is spread uniformly over the 12 months before 2026-11-01 UTC and
 * grows with the row index (stratified: row i falls in slot i of N equal slots), as
 * runs arrive in time order in production, so the heap is ordered by time like a real
 * table. About 30 workspaces and 40 blocks (mildly skewed, nginx the busiest), 3 to 6
 * versions per block rolled out over the year, actions deploy/restart/patch/backup,
 * statuses ~85% successful / 10% failed / 4% aborted / 1% running, durations
 * log-normal between 5 s and 20 min (null while running).
 *
 * The rows are in `action_runs` only: no reports in `action_run_reports` and no
 * timeline entries in `audit_events`, which the run queries do not read.
 */
import type { ActionRunReport, Principal, RunStatus } from '@runtrail/contracts';
import { openDatabase, toActionRunRow, upsertActionRuns, type ActionRunRow } from '@runtrail/persistence';
import { databaseUrl, mulberry32 } from '@runtrail/testing';
import type { DataSource } from 'typeorm';

export const SEED_CHUNK = 5_000;
/** The generated runs start in the 12 months before this instant. */
export const SEED_END = Date.UTC(2026, 10, 1);
export const SEED_START = Date.UTC(2025, 10, 1);


export interface Weighted<T> {
  value: T;
  weight: number;
}

/** Picks from cumulative weights by binary search. */
function picker<T>(items: Weighted<T>[]): (r: number) => T {
  const cumulative: number[] = [];
  let sum = 0;
  for (const i of items) cumulative.push((sum += i.weight));
  return (r) => {
    const x = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo].value;
  };
}

/** 30 workspaces: 10 teams or regions × prod/staging/dev; prod runs most, dev least. */
export const WORKSPACES: { name: string; organization: string }[] = [
  'acme',
  'acme-eu',
  'acme-us',
  'acme-apac',
  'payments',
  'search',
  'data',
  'platform',
  'identity',
  'edge',
].flatMap((team) =>
  ['prod', 'staging', 'dev'].map((env) => ({ name: `${team}-${env}`, organization: team.startsWith('acme') ? 'acme' : team })),
);

/** 40 blocks; the first ones are the busiest (weight 1/(rank+6): nginx ~8% of runs, the last ~1.4%). */
export const BLOCK_NAMES = [
  'nginx',
  'postgres',
  'db-maintenance',
  'redis',
  'cert-manager',
  'ingress-nginx',
  'kafka',
  'zookeeper',
  'elasticsearch',
  'kibana',
  'grafana',
  'prometheus',
  'loki',
  'tempo',
  'vault',
  'consul',
  'keycloak',
  'minio',
  'rabbitmq',
  'mongodb',
  'mysql',
  'clickhouse',
  'harbor',
  'gitlab-runner',
  'argocd',
  'external-dns',
  'velero',
  'cilium',
  'coredns',
  'metrics-server',
  'opensearch',
  'nats',
  'memcached',
  'haproxy',
  'traefik',
  'fluent-bit',
  'jaeger',
  'sonarqube',
  'nexus',
  'backup-agent',
] as const;

export interface SeedBlock {
  name: string;
  /** `cargo.ayedo.cloud/ayedo/infra/<name>`, the `from` without its tag. */
  base: string;
  /** Oldest first; version k is the current one during the k-th share of the year. */
  versions: string[];
}

export const BLOCKS: SeedBlock[] = BLOCK_NAMES.map((name, i) => {
  const count = 3 + (i % 4); // 3 to 6 versions
  const major = i % 3;
  const minor = 1 + ((i * 7) % 9);
  return {
    name,
    base: `cargo.ayedo.cloud/ayedo/infra/${name}`,
    versions: Array.from({ length: count }, (_, k) => `${major}.${minor + Math.floor(k / 2)}.${(k % 2) * 2 + (i % 2)}`),
  };
});

export const ACTIONS_WEIGHTED: Weighted<string>[] = [
  { value: 'deploy', weight: 55 },
  { value: 'restart', weight: 20 },
  { value: 'patch', weight: 15 },
  { value: 'backup', weight: 10 },
];
const ACTIONS = picker(ACTIONS_WEIGHTED);

export const STATUSES_WEIGHTED: Weighted<RunStatus>[] = [
  { value: 'successful', weight: 85 },
  { value: 'failed', weight: 10 },
  { value: 'aborted', weight: 4 },
  { value: 'running', weight: 1 },
];
const STATUSES = picker(STATUSES_WEIGHTED);

export const FAILED_EXIT_CODES_WEIGHTED: Weighted<number>[] = [
  { value: 1, weight: 70 },
  { value: 2, weight: 15 },
  { value: 127, weight: 5 },
  { value: 137, weight: 10 },
];
const FAILED_EXIT_CODES = picker(FAILED_EXIT_CODES_WEIGHTED);
export const ABORTED_EXIT_CODES_WEIGHTED: Weighted<number>[] = [
  { value: 130, weight: 70 },
  { value: 143, weight: 30 },
];
const ABORTED_EXIT_CODES = picker(ABORTED_EXIT_CODES_WEIGHTED);

export const HOSTNAMES = [
  'ci-runner-01',
  'ci-runner-02',
  'ci-runner-03',
  'ci-runner-04',
  'ops-bastion-1',
  'ops-bastion-2',
  'laptop-jdoe',
  'laptop-amiller',
  'laptop-kchen',
  'build-eu-1',
  'build-us-1',
  'runner-k8s-7f9c',
];
export const OS_USERS = ['gitlab-runner', 'root', 'deploy', 'jdoe', 'amiller', 'kchen'];
export const CLI_VERSIONS_WEIGHTED: Weighted<string>[] = [
  { value: '1.4.2', weight: 10 },
  { value: '1.5.0', weight: 20 },
  { value: '1.5.1', weight: 35 },
  { value: '1.6.0', weight: 30 },
  { value: '1.6.1', weight: 5 },
];
const CLI_VERSIONS = picker(CLI_VERSIONS_WEIGHTED);
export const SOURCES_WEIGHTED: Weighted<Principal>[] = [
  { value: { type: 'Application', id: 'key_01_gitlab_ci', name: 'gitlab-ci' }, weight: 60 },
  { value: { type: 'Application', id: 'key_02_runner', name: 'runtrail-runner' }, weight: 15 },
  { value: { type: 'Application', id: 'key_03_nightly', name: 'nightly-maintenance' }, weight: 10 },
  { value: { type: 'User', id: 'key_04_jdoe', name: 'jdoe@acme.example' }, weight: 8 },
  { value: { type: 'User', id: 'key_05_amiller', name: 'amiller@acme.example' }, weight: 7 },
];
const SOURCES = picker(SOURCES_WEIGHTED);

/** Prod runs most, dev least; some teams more than others. */
export const WORKSPACES_WEIGHTED = WORKSPACES.map((w, i) => ({ value: w, weight: [6, 3, 1][i % 3] * (1 + (i % 5) / 4) }));
export const BLOCKS_WEIGHTED = BLOCKS.map((b, i) => ({ value: b, weight: 1 / (i + 6) }));
const WORKSPACE_PICK = picker(WORKSPACES_WEIGHTED);
const BLOCK_PICK = picker(BLOCKS_WEIGHTED);

export const MIN_DURATION_MS = 5_000;
export const MAX_DURATION_MS = 20 * 60_000;

/** A version-4-shaped uuid from the PRNG (deterministic, unlike crypto.randomUUID). */
function uuid(rand: () => number): string {
  let h = '';
  for (let i = 0; i < 4; i++) h += Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Standard normal by Box-Muller. */
function gaussian(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal around a median of 90 s, clamped to 5 s .. 20 min. */
function duration(rand: () => number): number {
  const ms = Math.exp(Math.log(90_000) + 1.1 * gaussian(rand));
  return Math.round(Math.min(MAX_DURATION_MS, Math.max(MIN_DURATION_MS, ms)));
}

/**
 * Rows `from` .. `from + count - 1` of `total`. Each chunk has its own PRNG seeded from
 * the run seed and its first index, so a chunk is the same whatever the chunk size
 * before it; only `total` moves the times.
 */
export function generateRuns(tenantId: string, total: number, from: number, count: number, seed = 20261101): ActionRunRow[] {
  const rand = mulberry32((seed ^ Math.imul(from + 1, 0x9e3779b1)) >>> 0);
  const span = SEED_END - SEED_START;
  const rows: ActionRunRow[] = [];
  for (let i = from; i < from + count; i++) {
    const startedMs = Math.floor(SEED_START + ((i + rand()) * span) / total);
    const workspace = WORKSPACE_PICK(rand());
    const block = BLOCK_PICK(rand());
    // The version current at this time of the year, or (one in five) the one before: a workspace lagging behind.
    const n = block.versions.length;
    let k = Math.min(n - 1, Math.floor(((startedMs - SEED_START) / span) * n));
    if (k > 0 && rand() < 0.2) k -= 1;
    const version = block.versions[k];
    const from_ = `${block.base}:${version}`;
    const status = STATUSES(rand());
    const durationMs = status === 'running' ? null : duration(rand);
    const finishedMs = durationMs === null ? null : startedMs + durationMs;
    const exitCode =
      status === 'successful' ? 0 : status === 'failed' ? FAILED_EXIT_CODES(rand()) : status === 'aborted' ? ABORTED_EXIT_CODES(rand()) : null;
    // The end report arrives a little after the run ends; a running run has only its start report.
    const receivedMs = (finishedMs ?? startedMs) + 50 + Math.floor(rand() * 1500);
    const run: ActionRunReport = {
      id: uuid(rand),
      workspace: { name: workspace.name, organization: workspace.organization },
      block: { name: block.name, from: from_, version },
      action: ACTIONS(rand()),
      status,
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: finishedMs === null ? null : new Date(finishedMs).toISOString(),
      durationMs,
      exitCode,
      cliVersion: CLI_VERSIONS(rand()),
      hostname: HOSTNAMES[Math.floor(rand() * HOSTNAMES.length)],
      osUser: OS_USERS[Math.floor(rand() * OS_USERS.length)],
      retriggeredFrom: null,
      commandId: null,
    };
    const received = new Date(receivedMs).toISOString();
    rows.push(toActionRunRow({
      tenantId,
      run,
      source: SOURCES(rand()),
      receivedAt: received,
      updatedAt: received,
      firstPosition: String(i + 1),
    }));
  }
  return rows;
}

export interface SeedOptions {
  tenantId: string;
  runs: number;
  chunk?: number;
  seed?: number;
  /** Called after each chunk with the rows written so far. */
  onProgress?: (written: number) => void;
}

export interface SeedResult {
  rows: number;
  /** The inserts alone (generation included: it runs between the statements). */
  insertSeconds: number;
  vacuumSeconds: number;
}

/** Inserts the generated runs, then VACUUM ANALYZE. `db` must be migrated (openDatabase). */
export async function seedActionRuns(db: DataSource, options: SeedOptions): Promise<SeedResult> {
  const chunk = options.chunk ?? SEED_CHUNK;
  const t0 = performance.now();
  for (let from = 0; from < options.runs; from += chunk) {
    const count = Math.min(chunk, options.runs - from);
    const rows = generateRuns(options.tenantId, options.runs, from, count, options.seed);
    await db.query(upsertActionRuns.text, upsertActionRuns.params(rows));
    options.onProgress?.(from + count);
  }
  const t1 = performance.now();
  await db.query('VACUUM ANALYZE action_runs');
  const t2 = performance.now();
  return { rows: options.runs, insertSeconds: (t1 - t0) / 1000, vacuumSeconds: (t2 - t1) / 1000 };
}

export function formatSeedResult(r: SeedResult): string {
  const rate = (s: number) => Math.round(r.rows / s).toLocaleString('en-US');
  return (
    `seeded ${r.rows.toLocaleString('en-US')} runs: inserts ${r.insertSeconds.toFixed(1)} s (${rate(r.insertSeconds)} rows/s), ` +
    `VACUUM ANALYZE ${r.vacuumSeconds.toFixed(1)} s, together ${rate(r.insertSeconds + r.vacuumSeconds)} rows/s`
  );
}

function parseArgs(argv: string[]): { database: string; tenant: string; runs: number } {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(`unexpected argument "${argv[i]}"`);
    args.set(argv[i].slice(2), argv[i + 1]);
  }
  for (const k of args.keys()) if (!['database', 'tenant', 'runs'].includes(k)) throw new Error(`unknown option --${k}`);
  const database = args.get('database');
  const tenant = args.get('tenant');
  const runs = Number(args.get('runs') ?? '1000000');
  if (!database || !tenant) throw new Error('usage: seed-action-runs --database <name> --tenant <id> [--runs 1000000]');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer, got "${args.get('runs')}"`);
  return { database, tenant, runs };
}

async function main(): Promise<void> {
  const { database, tenant, runs } = parseArgs(process.argv.slice(2));
  const db = await openDatabase({ url: databaseUrl(database), applicationName: 'runtrail-seed', poolSize: 1 });
  try {
    let next = 100_000;
    const result = await seedActionRuns(db, {
      tenantId: tenant,
      runs,
      onProgress: (n) => {
        if (n >= next || n === runs) {
          console.log(`[seed] ${n.toLocaleString('en-US')} / ${runs.toLocaleString('en-US')}`);
          next += 100_000;
        }
      },
    });
    console.log(`[seed] ${formatSeedResult(result)} (database ${database}, tenant ${tenant})`);
  } finally {
    await db.destroy();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[seed] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
