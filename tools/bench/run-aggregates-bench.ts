/**
 * Stats and deployments from the run aggregates (docs/adr/0024) against the same answers
 * read from the runs, on the same data in the same process:
 *
 *   npm run build && node dist/tools/bench/run-aggregates-bench.js
 *   BENCH_RUNS=1000000 BENCH_TENANTS=1 BENCH_REPEAT=50 node dist/tools/bench/run-aggregates-bench.js
 *
 * Seeds BENCH_TENANTS (default 1) tenants of BENCH_RUNS (default 1,000,000) generated runs
 * each (seed-action-runs.ts: a year, 2025-11-01..2026-10-31) into a database of its own,
 * through the triggers, then times each read as the query service runs it (its own
 * read-only transaction as runtrail_query with the tenant bound), BENCH_REPEAT times
 * after 3 warm-ups, one at a time: "runs" is today's query over action_runs, "aggregates"
 * the aggregate read plus the fold (BENCH_BEFORE_REPEAT, default BENCH_REPEAT, times for
 * "runs": a year of them takes seconds on a busy machine). It also times the seeding of
 * BENCH_WRITE_RUNS (default 100,000) more runs with the triggers on and off: what the
 * aggregates cost the writes. The database is dropped at the end, unless BENCH_DATABASE
 * named one already seeded by an earlier run (then nothing is seeded, and it is kept).
 */
import {
  actionRunStats,
  aggregatedDeploymentPage,
  aggregatedRunStats,
  deploymentPage,
  DB_ROLES,
  foldRunStats,
  openDatabase,
  TENANT_SETTING,
  type ReadQuery,
  type RunFilter,
  type RunStatsGroup,
  type RunStatsInterval,
} from '@runtrail/persistence';
import { databaseUrl, dropDatabase, uniqueName } from '@runtrail/testing';
import { Client } from 'pg';
import { machineLine, percentile } from './report';
import { BLOCKS, seedActionRuns } from './seed-action-runs';

const WARMUPS = 3;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function log(message: string): void {
  console.log(`[bench:aggregates] ${message}`);
}

/** One read as TenantReader runs it. */
async function read<R>(db: Client, tenant: string, q: ReadQuery<R>): Promise<R[]> {
  await db.query(`BEGIN READ ONLY; SET LOCAL ROLE ${DB_ROLES.query}`);
  try {
    await db.query(`SELECT set_config('${TENANT_SETTING}', $1, true)`, [tenant]);
    const { rows } = await db.query(q.text, q.values);
    return rows.map(q.decode);
  } finally {
    await db.query('COMMIT');
  }
}

async function timed(repeat: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < WARMUPS + repeat; i++) {
    const t0 = performance.now();
    await fn();
    if (i >= WARMUPS) times.push(performance.now() - t0);
  }
  return times;
}

const fmt = (times: number[]) => `p50 ${percentile(times, 50).toFixed(1).padStart(6)}  p99 ${percentile(times, 99).toFixed(1).padStart(6)}`;

async function main(): Promise<void> {
  const runs = positiveInt('BENCH_RUNS', 1_000_000);
  const tenants = positiveInt('BENCH_TENANTS', 1);
  const repeat = positiveInt('BENCH_REPEAT', 50);
  const beforeRepeat = positiveInt('BENCH_BEFORE_REPEAT', repeat);
  const writeRuns = positiveInt('BENCH_WRITE_RUNS', 100_000);
  const reused = process.env.BENCH_DATABASE;
  const database = reused || uniqueName('aggbench');
  log(`machine: ${machineLine()}`);
  const ds = await openDatabase({ url: databaseUrl(database), applicationName: 'runtrail-aggregates-bench', poolSize: 1 });
  const db = new Client({ connectionString: databaseUrl(database), application_name: 'runtrail-aggregates-bench' });
  try {
    for (let t = 0; t < (reused ? 0 : tenants); t++) {
      const tenantId = t === 0 ? 'acme' : `tenant-${t}`;
      const r = await seedActionRuns(ds, { tenantId, runs, seed: 20261101 + t });
      log(`seeded ${runs.toLocaleString('en-US')} runs of ${tenantId} through the triggers: inserts ${r.insertSeconds.toFixed(1)} s, VACUUM ANALYZE ${r.vacuumSeconds.toFixed(1)} s`);
    }
    await ds.query('VACUUM ANALYZE action_run_stats');
    await ds.query('VACUUM ANALYZE action_run_deployments');
    await db.connect();
    const sizes = await db.query(
      `SELECT (SELECT count(*) FROM action_run_stats) AS stats_rows, pg_size_pretty(pg_total_relation_size('action_run_stats')) AS stats_size,
         (SELECT count(*) FROM action_run_deployments) AS deployment_rows, pg_size_pretty(pg_total_relation_size('action_runs')) AS runs_size`,
    );
    log(`sizes: ${JSON.stringify(sizes.rows[0])}`);

    const month = { start: new Date('2026-06-01T00:00:00Z'), endExclusive: new Date('2026-07-01T00:00:00Z') };
    const year = { start: new Date('2025-11-01T00:00:00Z'), endExclusive: new Date('2026-11-01T00:00:00Z') };
    const stats: { name: string; f: RunFilter; interval: RunStatsInterval; groupBy?: RunStatsGroup }[] = [
      { name: 'stats month, day', f: month, interval: 'day' },
      { name: 'stats month, day, by status', f: month, interval: 'day', groupBy: 'status' },
      { name: 'stats month, day, by block', f: month, interval: 'day', groupBy: 'block' },
      { name: 'stats year, month', f: year, interval: 'month' },
      { name: 'stats year, month, by status', f: year, interval: 'month', groupBy: 'status' },
      { name: 'stats year, month, by block', f: year, interval: 'month', groupBy: 'block' },
      { name: 'stats year, week', f: year, interval: 'week' },
      { name: 'stats year, month, block=nginx', f: { ...year, block: BLOCKS[0].name }, interval: 'month' },
    ];
    const lines: string[] = [];
    for (const s of stats) {
      const aggregated = aggregatedRunStats('acme', s.f, s.interval, s.groupBy);
      if (!aggregated) throw new Error(`${s.name}: the aggregates decline it`);
      const before = await timed(beforeRepeat, () => read(db, 'acme', actionRunStats('acme', s.f, s.interval, s.groupBy)));
      const after = await timed(repeat, async () => foldRunStats(await read(db, 'acme', aggregated)));
      lines.push(`${s.name.padEnd(34)} runs: ${fmt(before)}   aggregates: ${fmt(after)}   ratio of p50 ${(percentile(before, 50) / percentile(after, 50)).toFixed(1)}x`);
    }
    const deployments: { name: string; f: RunFilter }[] = [
      { name: 'deployments block=nginx', f: { block: BLOCKS[0].name, statuses: ['successful'] } },
      { name: 'deployments block=mongodb', f: { block: BLOCKS[19].name, statuses: ['successful'] } },
      { name: 'deployments (no filter)', f: { statuses: ['successful'] } },
      { name: 'deployments workspace=acme-prod', f: { workspace: 'acme-prod', statuses: ['successful'] } },
    ];
    const page = { limit: 41, offset: 0 };
    for (const d of deployments) {
      const before = await timed(beforeRepeat, () => read(db, 'acme', deploymentPage('acme', d.f, page)));
      const after = await timed(repeat, () => read(db, 'acme', aggregatedDeploymentPage('acme', d.f, page) as ReadQuery<unknown>));
      lines.push(`${d.name.padEnd(34)} runs: ${fmt(before)}   aggregates: ${fmt(after)}   ratio of p50 ${(percentile(before, 50) / percentile(after, 50)).toFixed(1)}x`);
    }
    console.log(
      ['', `Runtrail run aggregates benchmark (tenant acme of ${database}, ms; aggregates ${repeat}, runs ${beforeRepeat} timed after ${WARMUPS} warm-ups)`, ...lines, ''].join('\n'),
    );

    // The writes' share: more runs of a fresh tenant with the triggers on, then off.
    if (reused) return;
    const on = await seedActionRuns(ds, { tenantId: 'writes-on', runs: writeRuns, seed: 7 });
    await ds.query('ALTER TABLE action_runs DISABLE TRIGGER USER');
    const off = await seedActionRuns(ds, { tenantId: 'writes-off', runs: writeRuns, seed: 7 });
    await ds.query('ALTER TABLE action_runs ENABLE TRIGGER USER');
    log(
      `writes, ${writeRuns.toLocaleString('en-US')} runs in 5,000-row upserts: triggers on ${on.insertSeconds.toFixed(1)} s ` +
        `(${Math.round(writeRuns / on.insertSeconds)} rows/s), off ${off.insertSeconds.toFixed(1)} s (${Math.round(writeRuns / off.insertSeconds)} rows/s)`,
    );
  } finally {
    await db.end().catch(() => undefined);
    await ds.destroy();
    if (!reused) await dropDatabase(database);
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:aggregates] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
