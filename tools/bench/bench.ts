/**
 * `npm run bench`: the whole benchmark of issue 15 in one run, on its own database and
 * NATS namespace: ingest (batched end to end, single events saturated and open loop,
 * end-to-end lag) against its baselines (raw INSERT and COPY, a minimal Fastify gateway),
 * then the query side over BENCH_ROWS seeded rows (filters, stats, deployments, deep
 * paging, export) and the services' memory. Figures and targets go to stdout as tables
 * and to BENCH_OUT as JSON. See tools/bench/README.md.
 *
 * Exit code 0 when every phase ran and every answer was right (statuses, counts), whether
 * or not the targets are met; 1 otherwise, or with BENCH_ENFORCE=1 when a target is missed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { databaseUrl, startTestStack, type TestStack } from '@runtrail/testing';
import { readFullBenchConfig, type BENCH_PHASES, type FullBenchConfig } from './bench-config';

type BenchPhase = (typeof BENCH_PHASES)[number];
import { killBenchProcesses, runLoad } from './bench-processes';
import { waitForRows } from './end-to-end-run';
import { BATCH_TENANT, LAG_TENANT, SINGLE_TENANT, measureBaselines, measureBatched, measureGateways, measureLag, requireAll202, servicePids } from './ingest-phases';
import { measureDeepPage, measureExport, measureQueries, samplesPerQuery } from './query-phases';
import { cpuPerItem } from './process-cpu';
import { evaluateTargets, formatReport, machineLine, type Figures } from './report';
import { MEASURED_TENANT, seedBenchData, seedPlan } from './seed-tables';
import { MemorySampler, rssMb } from './service-memory';

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

/** Unlimited in effect: the bench's keys send far beyond the default per-key and per-tenant rates. */
const STACK_ENV = {
  LOG_LEVEL: 'warn',
  RATE_LIMIT_KEY_PER_SECOND: '1000000',
  RATE_LIMIT_KEY_BURST: '1000000',
  RATE_LIMIT_TENANT_PER_SECOND: '1000000',
  RATE_LIMIT_TENANT_BURST: '1000000',
};

const emptyFigures = (): Figures => ({
  ingest_batched_eps: null,
  baseline_pg_insert_rps: null,
  baseline_pg_copy_rps: null,
  ingest_single_rps: null,
  ingest_single_p99_ms: null,
  baseline_minimal_gateway_rps: null,
  baseline_minimal_gateway_p99_ms: null,
  batched_cpu_us_per_event: {},
  batched_machine_busy: null,
  baseline_insert_cpu_us_per_row: null,
  e2e_lag_p50_ms: null,
  e2e_lag_p99_ms: null,
  query_p50_ms: {},
  query_p99_ms: {},
  deep_page_ms: null,
  baseline_offset_deep_page_ms: null,
  export_rows_per_s: null,
  export_peak_rss_mb: null,
  rss_mb: {},
  peak_rss_mb: {},
});

/** The services' last output, so a failure inside them can be diagnosed from the bench's. */
function serviceOutput(t: TestStack): string {
  return Object.values(t.stack.services)
    .map((s) => `--- ${s.name} (last output)\n${s.output.slice(-1500) || '(nothing)'}`)
    .join('\n');
}

interface Run {
  config: FullBenchConfig;
  figures: Figures;
  details: Record<string, unknown>;
  problems: string[];
  /** The services' pids, for the memory sampled during each phase. */
  services: () => Record<string, number | undefined>;
}

/** Runs one phase; a failure is recorded and the run goes on to the next phase. */
async function phase(run: Run, id: BenchPhase, description: string, body: () => Promise<void>): Promise<boolean> {
  const t0 = performance.now();
  const name = `${id}: ${description}`;
  if (run.config.phases && !run.config.phases.has(id)) {
    log(`${id}: skipped (not in BENCH_PHASES)`);
    return false;
  }
  log(name);
  // Which phase drives a service's memory up, beside the peak over the whole run.
  const memory = new MemorySampler(run.services).start();
  const seconds = () => {
    const s = (performance.now() - t0) / 1000;
    ((run.details.phase_seconds ??= {}) as Record<string, number>)[id] = s;
    ((run.details.phase_peak_rss_mb ??= {}) as Record<string, unknown>)[id] = memory.stop();
    return s.toFixed(1);
  };
  try {
    await body();
    log(`  done in ${seconds()} s`);
    return true;
  } catch (err) {
    seconds();
    const message = `${name}: ${err instanceof Error ? err.message : String(err)}`;
    run.problems.push(message);
    log(`  FAILED ${message}`);
    return false;
  }
}

/** One batch through the whole pipeline first: connections and JIT in all three services. */
async function warmUp(t: TestStack, db: Client, key: string, c: FullBenchConfig): Promise<void> {
  const load = await runLoad({ kind: 'closed', url: t.ingestUrl, key, batch: c.batch, connections: 1, seconds: 1, warmupSeconds: 0 });
  requireAll202('warm-up', load);
  await waitForRows(db, BATCH_TENANT, load.events, c.timeoutMs);
  await db.query('TRUNCATE audit_events');
}

async function ingestPhases(run: Run, t: TestStack, db: Client): Promise<void> {
  const c = run.config;
  const { figures: f, details: d } = run;
  const batchKey = await t.createKey(BATCH_TENANT, ['events:write']);
  await phase(run, 'warm-up', 'batches through the whole pipeline', () => warmUp(t, db, batchKey, c));

  let batchedEvents = 0;
  await phase(run, 'batched', `ingest end to end, ${c.concurrency} clients x ${c.batch} events per request, ${c.seconds} s`, async () => {
    const b = await measureBatched(t, db, batchKey, c);
    f.ingest_batched_eps = b.eventsPerSecond;
    batchedEvents = b.load.events;
    d.batched = { events: b.load.events, requests: b.load.requests, seconds: b.seconds, ingest_seconds: b.load.seconds, request_latency_ms: b.load.latencyMs };
    f.batched_cpu_us_per_event = cpuPerItem(b.cpu, b.load.events);
    f.batched_machine_busy = b.cpu.machineBusy ?? null;
    log(`  ${b.load.events} events, ${b.seconds.toFixed(1)} s first request -> all rows visible: ${Math.round(b.eventsPerSecond)} events/s`);
    log(`  CPU per event (µs): ${JSON.stringify(f.batched_cpu_us_per_event)}; machine busy ${((b.cpu.machineBusy ?? NaN) * 100).toFixed(0)}% of ${b.cpu.cores} cores`);
  });
  if (batchedEvents > 0) {
    await phase(run, 'baselines', `the same ${batchedEvents} rows into audit_events with INSERT, then with COPY`, async () => {
      const { insert, insertCpu, copy } = await measureBaselines(t, db, batchedEvents, c);
      f.baseline_insert_cpu_us_per_row = cpuPerItem(insertCpu, insert.rows).postgres ?? null;
      f.baseline_pg_insert_rps = insert.rowsPerSecond;
      f.baseline_pg_copy_rps = copy.rowsPerSecond;
      d.baseline_insert = insert;
      d.baseline_copy = copy;
      log(`  INSERT ${Math.round(insert.rowsPerSecond)} rows/s, COPY ${Math.round(copy.rowsPerSecond)} rows/s`);
    });
  }

  const singleKey = await t.createKey(SINGLE_TENANT, ['events:write']);
  await phase(run, 'gateways', 'single events, ingest against the minimal gateway (projector stopped meanwhile)', async () => {
    const g = await measureGateways(t, singleKey, c, log);
    f.ingest_single_rps = g.singleRps;
    f.ingest_single_p99_ms = g.open.latencyMs.p99;
    f.baseline_minimal_gateway_rps = g.minimalRps;
    f.baseline_minimal_gateway_p99_ms = g.minimalOpen.latencyMs.p99;
    d.single_closed = { requests: g.single.requests, seconds: g.single.seconds, latency_ms: g.single.latencyMs };
    d.single_open = { rate: g.openRate, requests: g.open.requests, seconds: g.open.seconds, latency_ms: g.open.latencyMs };
    d.minimal_gateway = { requests: g.minimal.requests, seconds: g.minimal.seconds, latency_ms: g.minimal.latencyMs };
    d.minimal_gateway_open = { rate: g.minimalOpenRate, requests: g.minimalOpen.requests, seconds: g.minimalOpen.seconds, latency_ms: g.minimalOpen.latencyMs };
    log(`  ingest ${Math.round(g.singleRps)}/s, open-loop p99 ${g.open.latencyMs.p99.toFixed(1)} ms at ${g.openRate}/s; minimal gateway ${Math.round(g.minimalRps)}/s, open-loop p99 ${g.minimalOpen.latencyMs.p99.toFixed(1)} ms at ${g.minimalOpenRate}/s`);
  });

  if (f.ingest_batched_eps !== null) {
    const lagKey = await t.createKey(LAG_TENANT, ['events:write']);
    const batchedEps = f.ingest_batched_eps;
    await phase(run, 'lag', `end to end at half the batched maximum (${Math.round(batchedEps / 2)} events/s), ${c.seconds} s`, async () => {
      const { load, eventsPerSecond } = await measureLag(t, lagKey, batchedEps, c);
      f.e2e_lag_p50_ms = load.lagMs?.p50 ?? null;
      f.e2e_lag_p99_ms = load.lagMs?.p99 ?? null;
      d.e2e_lag = { events_per_second: eventsPerSecond, batches: load.lagMs?.count, lag_ms: load.lagMs, request_latency_ms: load.latencyMs };
      log(`  lag p50 ${f.e2e_lag_p50_ms?.toFixed(1)} ms, p99 ${f.e2e_lag_p99_ms?.toFixed(1)} ms over ${load.lagMs?.count} batches`);
    });
  }
}

async function queryPhases(run: Run, t: TestStack, db: Client): Promise<void> {
  const c = run.config;
  const { figures: f, details: d } = run;
  const plan = seedPlan(c.rows, c.exportRows);
  const seeded = await phase(run, 'seed', `${c.rows.toLocaleString('en-US')} action runs and ${(plan.measuredAuditEvents + plan.auditEventsPerTenant * 9).toLocaleString('en-US')} audit events among 10 tenants`, async () => {
    const second = new Client({ connectionString: databaseUrl(t.database), application_name: 'runtrail-bench-seed' });
    await second.connect();
    try {
      const s = await seedBenchData(db, second, plan, log);
      d.seed = s;
      log(`  inserts ${s.insertSeconds.toFixed(1)} s, VACUUM ANALYZE ${s.vacuumSeconds.toFixed(1)} s`);
    } finally {
      await second.end();
    }
  });
  if (!seeded) return;

  const key = await t.createKey(MEASURED_TENANT, ['audit:read']);
  await phase(run, 'queries', `tenant ${MEASURED_TENANT}, ${samplesPerQuery(c).samples} sequential requests each after 3 warm-ups`, async () => {
    const { figures, problems } = await measureQueries(t, db, key, c, log);
    for (const [name, q] of Object.entries(figures)) {
      f.query_p50_ms[name] = q.p50;
      f.query_p99_ms[name] = q.p99;
    }
    d.queries = figures;
    if (problems.length > 0) throw new Error(problems.join('; '));
  });

  const tenantRows = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1', [MEASURED_TENANT])).rows[0].n);
  const auditRows = await tenantRows();
  await phase(run, 'deep-page', `page ${Math.min(c.deepPage, Math.floor(auditRows / 40)).toLocaleString('en-US')} of ${MEASURED_TENANT}'s timeline by cursor and by offset`, async () => {
    const deep = await measureDeepPage(t, key, auditRows, c, log);
    f.deep_page_ms = deep.cursor.p50;
    f.baseline_offset_deep_page_ms = deep.offset.p50;
    d.deep_page = deep;
    log(`  cursor ${deep.cursor.p50.toFixed(1)} ms, offset ${deep.offset.p50.toFixed(1)} ms (walk there: ${deep.walkSeconds.toFixed(1)} s)`);
  });

  await phase(run, 'export', `download=true of ${auditRows.toLocaleString('en-US')} rows, CSV and JSON`, async () => {
    const results = [];
    for (const format of ['csv', 'json'] as const) {
      const e = await measureExport(t, key, format, await tenantRows(), c.timeoutMs);
      results.push(e);
      log(`  ${format}: ${e.rows} rows, ${(e.bytes / 2 ** 20).toFixed(0)} MiB in ${e.seconds.toFixed(1)} s (${Math.round(e.rowsPerSecond)} rows/s), query peak RSS ${e.peakRssMb.toFixed(0)} MB`);
    }
    // The slower format and the larger footprint: the target must hold for both.
    f.export_rows_per_s = Math.min(...results.map((e) => e.rowsPerSecond));
    f.export_peak_rss_mb = Math.max(...results.map((e) => e.peakRssMb));
    d.export = results;
  });
}

function writeJson(path: string, body: unknown): void {
  const file = resolve(process.cwd(), path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  log(`figures written to ${file}`);
}

async function main(): Promise<number> {
  const config = readFullBenchConfig();
  const started = new Date();
  const t0 = performance.now();
  const run: Run = { config, figures: emptyFigures(), details: {}, problems: [], services: () => ({}) };
  log(`machine: ${machineLine()}`);
  log(`config: ${JSON.stringify(config)}`);

  let stack: TestStack | undefined;
  let db: Client | undefined;
  let sampler: MemorySampler | undefined;
  let cleaning: Promise<void> | undefined;
  // Once, whether an interrupt or the end of the run asks first.
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      // Each step on its own: a failed disconnect must not leave the services or the database behind.
      killBenchProcesses();
      await db?.end().catch(() => undefined);
      await stack?.stop().catch((err: unknown) => log(`clean-up failed: ${String(err)}`));
    })());
  process.once('SIGINT', () => {
    log('interrupted: stopping the load, the services, and dropping the database and namespace');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    log('starting ingest, projector and query from dist/ (own database and namespace)');
    stack = await startTestStack('bench', STACK_ENV);
    const t = stack;
    db = new Client({ connectionString: databaseUrl(t.database), application_name: 'runtrail-bench' });
    await db.connect();
    const services = servicePids(t);
    run.services = services;
    sampler = new MemorySampler(services).start();

    await ingestPhases(run, t, db);
    await queryPhases(run, t, db);

    run.figures.peak_rss_mb = sampler.stop();
    for (const [name, pid] of Object.entries(services())) run.figures.rss_mb[name] = rssMb(pid) ?? NaN;
    if (run.problems.length > 0) log(serviceOutput(t));
  } catch (err) {
    run.problems.push(`stack: ${err instanceof Error ? err.message : String(err)}`);
    log(`FAILED ${run.problems[run.problems.length - 1]}`);
    if (stack) log(serviceOutput(stack));
  } finally {
    sampler?.stop();
    log('stopping the stack and dropping its database and namespace');
    await cleanUp();
  }

  const targets = evaluateTargets(run.figures);
  const wallSeconds = (performance.now() - t0) / 1000;
  const correct = run.problems.length === 0;
  const header = [
    `machine: ${machineLine()}`,
    ...(config.phases ? [`phases:  ${[...config.phases].join(', ')} (BENCH_PHASES; the other figures are absent)`] : []),
    `config:  BENCH_SECONDS=${config.seconds} BENCH_ROWS=${config.rows} BENCH_EXPORT_ROWS=${config.exportRows} BENCH_BATCH=${config.batch} ` +
      `BENCH_CONCURRENCY=${config.concurrency} BENCH_CONNECTIONS=${config.connections}`,
    `wall time: ${wallSeconds.toFixed(0)} s; every phase ran and every answer was right: ${correct ? 'yes' : `NO (${run.problems.length} problems)`}`,
  ];
  console.log(formatReport(run.figures, targets, header));
  for (const p of run.problems) log(`problem: ${p}`);
  writeJson(config.out, {
    ...run.figures,
    targets,
    targets_met: Object.values(targets).every((x) => x.pass === true),
    correct,
    problems: run.problems,
    machine: machineLine(),
    node: process.version,
    started_at: started.toISOString(),
    wall_seconds: wallSeconds,
    config,
    details: run.details,
  });
  if (!correct) return 1;
  if (config.enforce && !Object.values(targets).every((x) => x.pass === true)) {
    log('BENCH_ENFORCE=1 and not every target was met');
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Only configuration errors get here (before anything was started).
    console.error(`[bench] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
