/**
 * `npm run bench:runs`: read latency of the action-run queries on a large tenant.
 *
 *   npm run bench:runs                        # build, then node dist/tools/bench/runs-query-bench.js
 *   BENCH_RUNS=50000 npm run bench:runs       # a quick check
 *
 * Needs Postgres on 127.0.0.1:5432 (user postgres) and NATS JetStream on 127.0.0.1:4222
 * (`TEST_PG_URL` / `NATS_URL` override them). It creates its own database and NATS
 * namespace (uniqueName('runsbench')), seeds BENCH_RUNS (default 1,000,000) generated
 * runs of tenant `acme` straight into `action_runs` (seed-action-runs.ts, then VACUUM
 * ANALYZE), starts the query service alone from dist/ on a free port, creates a tenant
 * key (audit:read) with the root key, and times over HTTP, one request at a time, from
 * sending the request until the whole body is read and parsed, BENCH_REPEAT (30) times
 * after 3 warm-ups:
 *   stats-month            GET /v1/action-runs/stats?start=2026-06-01&end=2026-06-30
 *   stats-month-by-status  the same with &group_by=status
 *   deployments-one-block  GET /v1/deployments?block=nginx (the busiest seeded block, ~8% of runs)
 *   deployments-mid-block  GET /v1/deployments?block=mongodb (the 20th of 40 blocks, ~2% of runs)
 *   runs-first-page        GET /v1/action-runs?limit=40
 *   runs-page-51           the page reached by following Link: rel="next" 50 times
 *   runs-block-failed      GET /v1/action-runs?block=nginx&status=failed&limit=40
 * It prints p50/p95/max per query against the 200 ms target of stats-month and
 * deployments-one-block, then EXPLAIN (ANALYZE, BUFFERS) summaries of the same SQL (the
 * query service's own statements from @runtrail/persistence, with the parameters it binds
 * for the measured requests) run straight in Postgres. BENCH_EXPLAIN=full prints whole plans.
 * The service is stopped and the database and namespace dropped at the end, also on
 * failure or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { ServiceProcess } from '@runtrail/launcher';
import { actionRunStats, deploymentPage, openDatabase, type ReadQuery } from '@runtrail/persistence';
import { databaseUrl, deleteNamespace, dropDatabase, freePort, request, testEnv, uniqueName } from '@runtrail/testing';
import { Client } from 'pg';
import { machineLine, percentile } from './report';
import { BLOCKS, formatSeedResult, seedActionRuns } from './seed-action-runs';

const TENANT = 'acme';
const TARGET_MS = 200;
const WARMUPS = 3;
const MONTH = { start: '2026-06-01', end: '2026-06-30', endExclusive: '2026-07-01' };
const DEEP_PAGES = 50;

function log(message: string): void {
  console.log(`[bench:runs] ${message}`);
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

interface Measured {
  name: string;
  path: string;
  target?: number;
  /** Records in the answer (rows of the array). */
  records?: number;
  timesMs: number[];
  error?: string;
}

/** One GET, timed from send until the body is read and parsed. */
async function timedGet(url: string, key: string): Promise<{ ms: number; status: number; body: unknown; link: string | null; text: string }> {
  const t0 = performance.now();
  const res = await request('GET', url, { key });
  const ms = performance.now() - t0;
  return { ms, status: res.status, body: res.body, link: res.headers.get('link'), text: res.text };
}

async function measure(base: string, key: string, name: string, path: string, repeat: number, target?: number): Promise<Measured> {
  const result: Measured = { name, path, target, timesMs: [] };
  for (let i = 0; i < WARMUPS + repeat; i++) {
    const r = await timedGet(base + path, key);
    if (r.status !== 200 || !Array.isArray(r.body)) {
      result.error = `${r.status}: ${r.text.slice(0, 300)}`;
      return result;
    }
    result.records = r.body.length;
    if (i >= WARMUPS) result.timesMs.push(r.ms);
  }
  return result;
}

/** Follows `Link: <…>; rel="next"` `pages` times from `path` and returns the path reached. */
async function followNext(base: string, key: string, path: string, pages: number): Promise<string> {
  let current = path;
  for (let i = 0; i < pages; i++) {
    const r = await timedGet(base + current, key);
    if (r.status !== 200) throw new Error(`GET ${current} answered ${r.status}: ${r.text.slice(0, 300)}`);
    const next = /<([^>]+)>;\s*rel="next"/.exec(r.link ?? '');
    if (!next) throw new Error(`GET ${current} has no Link rel="next" after ${i} pages`);
    current = next[1];
  }
  return current;
}

function formatTable(rows: Measured[], repeat: number): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  const header = `${'query'.padEnd(width)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'max ms'.padStart(7)}  ${'rows'.padStart(5)}  target`;
  const lines = rows.map((r) => {
    if (r.error) return `${r.name.padEnd(width)}  not measured: ${r.error}`;
    const [p50, p95, max] = [percentile(r.timesMs, 50), percentile(r.timesMs, 95), Math.max(...r.timesMs)];
    const target = r.target === undefined ? '' : `${r.target} ms (${p95 < r.target ? 'met at p95' : p50 < r.target ? 'met at p50 only' : 'NOT met'})`;
    return `${r.name.padEnd(width)}  ${p50.toFixed(1).padStart(7)}  ${p95.toFixed(1).padStart(7)}  ${max.toFixed(1).padStart(7)}  ${String(r.records ?? '').padStart(5)}  ${target}`;
  });
  return [
    `latency over HTTP, one request at a time, ${repeat} timed after ${WARMUPS} warm-ups (send -> body parsed):`,
    header,
    '-'.repeat(header.length),
    ...lines,
    '',
    ...rows.map((r) => `  ${r.name}: GET ${r.path.length > 160 ? `${r.path.slice(0, 160)}…` : r.path}`),
  ].join('\n');
}

/** The plan's top line, its scans, sorts, buffers, JIT and timing lines. */
async function explain(db: Client, label: string, target: ReadQuery<unknown>, full: boolean): Promise<string> {
  // Once unmeasured so the plan is of a warm cache, as the HTTP figures are.
  await db.query(target.text, target.values);
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${target.text}`, target.values);
  const plan = rows.map((r) => r['QUERY PLAN']);
  const picked = full
    ? plan
    : plan.filter(
        (line, i) =>
          i === 0 ||
          /Scan|Index Cond|Recheck Cond|Filter:|Rows Removed|Heap Blocks|Heap Fetches|Sort Method|Buffers:|Planning Time|Execution Time|JIT:|Functions:|Timing:/.test(
            line,
          ),
      );
  return [`EXPLAIN (ANALYZE, BUFFERS) ${label}:`, ...picked.map((l) => `  ${l}`)].join('\n');
}

async function main(): Promise<number> {
  const runs = positiveInt('BENCH_RUNS', 1_000_000);
  const repeat = positiveInt('BENCH_REPEAT', 30);
  const fullPlans = process.env.BENCH_EXPLAIN === 'full';
  const block = BLOCKS[0].name;
  /** The 20th of 40 blocks by volume, for how the deployments query scales with a block's runs. */
  const midBlock = BLOCKS[19].name;
  const namespace = uniqueName('runsbench');
  const database = namespace;
  const adminKey = `root_${randomBytes(24).toString('hex')}`;
  log(`machine: ${machineLine()}`);

  let service: ServiceProcess | undefined;
  let db: Client | undefined;
  let cleaned = false;
  const cleanUp = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    // Each step on its own: one failing must not leave the others behind.
    await db?.end().catch(() => undefined);
    await service?.stop().catch((err: unknown) => log(`stopping query failed: ${String(err)}`));
    await dropDatabase(database).catch((err: unknown) => log(`dropping database ${database} failed: ${String(err)}`));
    await deleteNamespace(namespace).catch((err: unknown) => log(`deleting namespace ${namespace} failed: ${String(err)}`));
  };
  process.once('SIGINT', () => {
    log('interrupted, cleaning up');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    log(`database and namespace ${namespace}; seeding ${runs.toLocaleString('en-US')} runs of tenant ${TENANT}`);
    const ds = await openDatabase({ url: databaseUrl(database), applicationName: 'runtrail-bench-seed', poolSize: 1 });
    try {
      let next = 100_000;
      const seeded = await seedActionRuns(ds, {
        tenantId: TENANT,
        runs,
        onProgress: (n) => {
          if (n >= next) {
            log(`  ${n.toLocaleString('en-US')} / ${runs.toLocaleString('en-US')}`);
            next += 100_000;
          }
        },
      });
      log(formatSeedResult(seeded));
    } finally {
      await ds.destroy();
    }

    db = new Client({ connectionString: databaseUrl(database), application_name: 'runtrail-bench' });
    await db.connect();
    const sizes = await db.query<{ table: string; indexes: string; month: string; block: string; mid: string }>(
      `SELECT pg_size_pretty(pg_table_size('action_runs')) AS table, pg_size_pretty(pg_indexes_size('action_runs')) AS indexes,
         (SELECT count(*) FROM action_runs WHERE tenant_id = $1 AND started_at >= $2 AND started_at < $3) AS month,
         (SELECT count(*) FROM action_runs WHERE tenant_id = $1 AND block_name = $4) AS block,
         (SELECT count(*) FROM action_runs WHERE tenant_id = $1 AND block_name = $5) AS mid`,
      [TENANT, new Date(`${MONTH.start}T00:00:00Z`), new Date(`${MONTH.endExclusive}T00:00:00Z`), block, midBlock],
    );
    const s = sizes.rows[0];
    const dataLine =
      `table ${s.table}, indexes ${s.indexes}; ${s.month} runs in ${MONTH.start}..${MONTH.end}, ` +
      `${s.block} runs of block ${block}, ${s.mid} of block ${midBlock}`;
    log(`action_runs: ${dataLine}`);

    const port = await freePort();
    service = new ServiceProcess({ name: 'query', port, env: testEnv(namespace, database, adminKey), output: 'collect' });
    service.start();
    await service.waitReady(60_000);
    const base = service.url;
    const created = await request<{ key: string }>('POST', `${base}/v1/api-keys`, {
      key: adminKey,
      body: { tenantId: TENANT, name: 'runs-bench', principalType: 'Application', scopes: ['audit:read'] },
    });
    if (created.status !== 201) throw new Error(`key creation answered ${created.status}: ${created.text.slice(0, 300)}`);
    const key = created.body.key;
    log(`query service on ${base}; measuring`);

    const month = `start=${MONTH.start}&end=${MONTH.end}`;
    const results: Measured[] = [];
    results.push(await measure(base, key, 'stats-month', `/v1/action-runs/stats?${month}`, repeat, TARGET_MS));
    results.push(await measure(base, key, 'stats-month-by-status', `/v1/action-runs/stats?${month}&group_by=status`, repeat));
    results.push(await measure(base, key, 'deployments-one-block', `/v1/deployments?block=${block}`, repeat, TARGET_MS));
    results.push(await measure(base, key, 'deployments-mid-block', `/v1/deployments?block=${midBlock}`, repeat));
    results.push(await measure(base, key, 'runs-first-page', '/v1/action-runs?limit=40', repeat));
    try {
      const deep = await followNext(base, key, '/v1/action-runs?limit=40', DEEP_PAGES);
      results.push(await measure(base, key, `runs-page-${DEEP_PAGES + 1}`, deep, repeat));
    } catch (err) {
      results.push({ name: `runs-page-${DEEP_PAGES + 1}`, path: '(Link rel="next" ×50)', timesMs: [], error: String(err) });
    }
    results.push(await measure(base, key, 'runs-block-failed', `/v1/action-runs?block=${block}&status=failed&limit=40`, repeat));

    // What the service runs for stats-month and deployments-one-block (the page reads one row more than it shows).
    const monthFilter = { start: new Date(`${MONTH.start}T00:00:00Z`), endExclusive: new Date(`${MONTH.endExclusive}T00:00:00Z`) };
    const plans = [
      await explain(db, `stats, ${MONTH.start}..${MONTH.endExclusive} (exclusive), interval day`, actionRunStats(TENANT, monthFilter, 'day'), fullPlans),
      await explain(db, `deployments, block ${block}, status successful, first page`, deploymentPage(TENANT, { block, statuses: ['successful'] }, { limit: 41, offset: 0 }), fullPlans),
    ];

    console.log(
      [
        '',
        'Runtrail action-run query benchmark',
        `machine:  ${machineLine()}`,
        `data:     ${runs.toLocaleString('en-US')} runs of tenant ${TENANT} over 2025-11-01..2026-10-31 UTC ` +
          `(${dataLine})`,
        '',
        formatTable(results, repeat),
        '',
        ...plans.flatMap((p) => [p, '']),
      ].join('\n'),
    );
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) {
      log(`query service output (last 2000 characters):\n${service.output.slice(-2000)}`);
      return 1;
    }
    return 0;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (service) log(`query service output (last 2000 characters):\n${service.output.slice(-2000) || '(nothing)'}`);
    return 1;
  } finally {
    log(`stopping query, dropping database and namespace ${namespace}`);
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[bench:runs] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
