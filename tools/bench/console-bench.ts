/**
 * `npm run bench:console`: how fast the console shows the first page of a large timeline,
 * and how big its JavaScript is. Not a test: it prints figures and never fails on them.
 *
 *   npm run bench:console                      # build, seed 1,000,000 entries, measure in Chromium
 *   BENCH_EVENTS=50000 npm run bench:console   # a quick try
 *
 * Needs Postgres and NATS as the e2e tests do, Debian's chromium (/usr/bin/chromium) and the
 * built console (dist/console, written by npm run build). See tools/bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import type { Browser, Page } from 'playwright-core';
import { databaseUrl, launchBrowser, newBrowserSession, repoRoot, request, signInEveryPage, startTestStack, type TestStack } from '@runtrail/testing';
import { positiveInt, readBenchConfig, type BenchConfig } from './bench-config';
import { postEach, waitForRows } from './end-to-end-run';
import { eventJson } from './event-generator';
import { machineLine, percentile } from './report';

const TENANT = 'acme';
/** The console's budget (console spec, "Layout"). */
const JS_BUDGET_GZIP = 250 * 1024;

function log(message: string): void {
  console.log(`[bench:console] ${message}`);
}

interface Config extends BenchConfig {
  repeat: number;
}

function readConfig(): Config {
  const { events, batch, concurrency, visibleTimeoutMs } = readBenchConfig({ events: 1_000_000, timeoutSeconds: 900, maxConcurrency: 64 });
  return { events, batch, concurrency, repeat: positiveInt('BENCH_REPEAT', 10, 1000), visibleTimeoutMs };
}

interface SeedFigures {
  events: number;
  requests: number;
  /** First request sent -> last 202. */
  ingestSeconds: number;
  /** First request sent -> every entry in the query tables. */
  projectedSeconds: number;
  eventsPerSecond: number;
}

/**
 * Posts `events` generated audit events through the ingest API (BENCH_BATCH per request,
 * BENCH_CONCURRENCY clients), each batch built when a client takes it (1,000,000 events
 * would take half a gigabyte as request bodies), then waits until the projector has written every one.
 */
async function seed(t: TestStack, db: Client, key: string, c: Config): Promise<SeedFigures> {
  const now = Date.now();
  const requests = Math.ceil(c.events / c.batch);
  const bodyAt = (i: number): string => {
    const first = i * c.batch;
    const count = Math.min(c.batch, c.events - first);
    const parts: string[] = [];
    for (let k = first; k < first + count; k++) parts.push(eventJson(k, now));
    return `[${parts.join(',')}]`;
  };
  let reported = 0;
  const progress = setInterval(() => {
    void db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1', [TENANT]).then(({ rows }) => {
      const n = Number(rows[0].n);
      if (n > reported) log(`  ${n.toLocaleString('en-US')} / ${c.events.toLocaleString('en-US')} projected`);
      reported = n;
    }, () => undefined);
  }, 10_000);
  try {
    const started = performance.now();
    await postEach(t.ingestUrl, key, requests, bodyAt, c.concurrency);
    const acknowledged = performance.now();
    const visible = await waitForRows(db, TENANT, c.events, c.visibleTimeoutMs);
    const projectedSeconds = (visible - started) / 1000;
    return { events: c.events, requests, ingestSeconds: (acknowledged - started) / 1000, projectedSeconds, eventsPerSecond: c.events / projectedSeconds };
  } finally {
    clearInterval(progress);
  }
}

interface Timing {
  name: string;
  path: string;
  /** Rows on the first page, as the console showed them. */
  rows: number;
  timesMs: number[];
}

/**
 * From the start of navigation (the page's time origin) to the first animation frame in
 * which the timeline table holds data rows: read inside the page, so the figure has no
 * round trip of the test driver in it.
 */
async function firstPageMs(page: Page, url: string): Promise<{ ms: number; rows: number }> {
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null; closest(s: string): { querySelectorAll(s: string): ArrayLike<unknown> } | null }> } }).document;
      const caption = Array.from(doc.querySelectorAll('table > caption')).find((c) => c.textContent?.trim() === 'Audit timeline');
      const rows = caption?.closest('table')?.querySelectorAll('tbody tr td:first-child').length ?? 0;
      return rows > 0 ? { ms: (globalThis as unknown as { performance: { now(): number } }).performance.now(), rows } : false;
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as { ms: number; rows: number };
}

/**
 * `warm`: one signed-in tab navigating again and again (the hashed assets come from the
 * browser's cache). `cold`: a new browser context for each load (empty cache), signed in
 * by putting the key into its session storage before the console starts, as sign-in does.
 */
async function measure(browser: Browser, base: string, key: string, name: string, path: string, repeat: number, cold: boolean): Promise<Timing> {
  const timing: Timing = { name, path, rows: 0, timesMs: [] };
  const runs = repeat + 1; // the first one warms the service (and, warm, the cache)
  const signedIn = async () => {
    const s = await newBrowserSession(browser);
    await signInEveryPage(s.context, key);
    return s;
  };
  let session = await signedIn();
  try {
    for (let i = 0; i < runs; i++) {
      if (cold && i > 0) {
        await session.close();
        session = await signedIn();
      }
      const { ms, rows } = await firstPageMs(session.page, base + path);
      if (i > 0) timing.timesMs.push(ms);
      timing.rows = rows;
      const foreign = session.foreignRequests(base);
      if (foreign.length > 0) throw new Error(`the console requested another origin: ${foreign.join(', ')}`);
    }
  } finally {
    await session.close();
  }
  return timing;
}

interface BundleFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}

async function bundleSizes(): Promise<BundleFile[]> {
  const dir = join(repoRoot(), 'dist/console/assets');
  const files = (await readdir(dir)).filter((f) => /\.(js|css)$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const raw = await readFile(join(dir, file));
      return { file, bytes: raw.length, gzipBytes: gzipSync(raw).length };
    }),
  );
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function formatTimings(timings: Timing[], repeat: number): string {
  const width = Math.max(...timings.map((t) => t.name.length));
  const header = `${'load'.padEnd(width)}  ${'median ms'.padStart(9)}  ${'min ms'.padStart(7)}  ${'max ms'.padStart(7)}  rows`;
  return [
    `navigation -> first table page rendered, ${repeat} loads each after one unmeasured:`,
    header,
    '-'.repeat(header.length),
    ...timings.map(
      (t) =>
        `${t.name.padEnd(width)}  ${percentile(t.timesMs, 50).toFixed(0).padStart(9)}  ${Math.min(...t.timesMs).toFixed(0).padStart(7)}  ${Math.max(...t.timesMs).toFixed(0).padStart(7)}  ${t.rows}`,
    ),
    ...[...new Set(timings.map((t) => t.path))].map((p) => `  ${p}`),
  ].join('\n');
}

function formatBundle(files: BundleFile[]): string {
  const js = files.filter((f) => f.file.endsWith('.js'));
  const total = js.reduce((a, f) => a + f.bytes, 0);
  const gzip = js.reduce((a, f) => a + f.gzipBytes, 0);
  return [
    'console bundle (dist/console/assets, gzip at zlib level 6):',
    ...files.map((f) => `  ${f.file.padEnd(40)} ${kb(f.bytes).padStart(10)} raw ${kb(f.gzipBytes).padStart(10)} gzip`),
    `  JavaScript in total: ${kb(total)} raw, ${kb(gzip)} gzip (budget ${kb(JS_BUDGET_GZIP)} gzip: ${gzip < JS_BUDGET_GZIP ? 'within' : 'OVER'})`,
  ].join('\n');
}

async function main(): Promise<number> {
  const c = readConfig();
  log(`machine: ${machineLine()}`);
  const bundle = await bundleSizes().catch((err: unknown) => {
    throw new Error(`cannot read dist/console/assets (run npm run build): ${String(err)}`);
  });

  let stack: TestStack | undefined;
  let db: Client | undefined;
  let browser: Browser | undefined;
  const cleanUp = async (): Promise<void> => {
    // Each step on its own: one failing must not leave the others behind.
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await db?.end().catch(() => undefined);
    db = undefined;
    await stack?.stop().catch((err: unknown) => log(`clean-up failed: ${String(err)}`));
    stack = undefined;
  };
  process.once('SIGINT', () => {
    log('interrupted, stopping the stack and the browser');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    log('starting ingest, projector and query from dist/ (own database and namespace)');
    stack = await startTestStack('consolebench', { LOG_LEVEL: 'warn' });
    db = new Client({ connectionString: databaseUrl(stack.database), application_name: 'runtrail-bench' });
    await db.connect();
    const writer = await stack.createKey(TENANT, ['events:write'], 'bench-writer');
    const reader = await stack.createKey(TENANT, ['audit:read'], 'bench-auditor', 'User');

    log(`seeding ${c.events.toLocaleString('en-US')} timeline entries (${Buffer.byteLength(eventJson(0, Date.now()))}-byte events) through ingest: ${c.batch} per request, ${c.concurrency} clients`);
    const seeded = await seed(stack, db, writer, c);
    log(
      `seeded ${seeded.events.toLocaleString('en-US')} entries in ${seeded.projectedSeconds.toFixed(1)} s ` +
        `(${Math.round(seeded.eventsPerSecond).toLocaleString('en-US')} events/s end to end; last 202 after ${seeded.ingestSeconds.toFixed(1)} s)`,
    );
    // What autovacuum would do shortly after such a load: fresh planner statistics.
    await db.query('ANALYZE audit_events');
    const probe = await request('GET', `${stack.queryUrl}/v1/audit?limit=1`, { key: reader });
    if (probe.status !== 200) throw new Error(`GET /v1/audit answered ${probe.status}: ${probe.text.slice(0, 300)}`);

    browser = await launchBrowser();
    const base = stack.queryUrl;
    const loads: [string, string][] = [
      ['timeline', '/timeline'],
      ['timeline action:Delete', `/timeline?q=${encodeURIComponent('action:Delete')}`],
      ['timeline source_name:user7@…', `/timeline?q=${encodeURIComponent('source_name:user7@example.com')}`],
    ];
    const timings: Timing[] = [];
    for (const [name, path] of loads) {
      for (const cold of [false, true]) {
        const label = `${name} (${cold ? 'cold cache' : 'warm cache'})`;
        log(`measuring ${label}`);
        timings.push(await measure(browser, base, reader, label, path, c.repeat, cold));
      }
    }

    console.log('');
    console.log(formatTimings(timings, c.repeat));
    console.log('');
    console.log(formatBundle(bundle));

    if (process.env.BENCH_OUT) {
      const js = bundle.filter((f) => f.file.endsWith('.js'));
      writeFileSync(
        process.env.BENCH_OUT,
        `${JSON.stringify(
          {
            machine: machineLine(),
            config: c,
            seed: seeded,
            firstPage: timings.map((t) => ({ name: t.name, path: t.path, rows: t.rows, medianMs: percentile(t.timesMs, 50), minMs: Math.min(...t.timesMs), maxMs: Math.max(...t.timesMs), timesMs: t.timesMs })),
            bundle: { files: bundle, jsBytes: js.reduce((a, f) => a + f.bytes, 0), jsGzipBytes: js.reduce((a, f) => a + f.gzipBytes, 0), budgetGzipBytes: JS_BUDGET_GZIP },
          },
          null,
          2,
        )}\n`,
      );
      log(`wrote ${process.env.BENCH_OUT}`);
    }
    return 0;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    log('stopping the browser and the stack, dropping its database and namespace');
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[bench:console] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
