/**
 * `npm run bench`: batched ingest measured end to end (first request sent until every
 * row is queryable) beside a baseline in the same process and run (the same rows
 * inserted straight into the same table with the same driver), and their ratio.
 * See tools/bench/README.md for what each figure means.
 */
import { Client } from 'pg';
import { databaseUrl, request, startTestStack, type TestStack } from '@runtrail/testing';
import { runBaseline } from './baseline-run';
import { readBenchConfig, type BenchConfig } from './bench-config';
import { postAll, runEndToEnd, waitForRows, type EndToEndResult } from './end-to-end-run';
import { chunk, generateEvents, measureSizes, type BenchEvent } from './event-generator';
import { formatReport, machineLine } from './report';

const TENANT = 'bench';
const BASELINE_TENANT = 'bench-baseline';
const WARMUP_TENANT = 'bench-warmup';

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

/** One JSON array per request, serialised up front so the client's own work stays out of the timing. */
function requestBodies(events: BenchEvent[], batch: number): string[] {
  return chunk(events, batch).map((c) => `[${c.map((e) => e.json).join(',')}]`);
}

/**
 * One batch through the whole pipeline before timing: it opens the HTTP, NATS and
 * Postgres connections and warms the JIT in all three services. The table is then
 * emptied so both measured runs start from the same empty table.
 */
async function warmUp(t: TestStack, db: Client, config: BenchConfig): Promise<void> {
  const key = await t.createKey(WARMUP_TENANT, ['events:write']);
  const events = generateEvents(config.batch);
  await postAll(t.ingestUrl, key, requestBodies(events, config.batch), 1);
  await waitForRows(db, WARMUP_TENANT, events.length, config.visibleTimeoutMs);
  await db.query('TRUNCATE audit_events');
}

/** The query API must answer from the rows just written: one record of the bench tenant. */
async function confirmQueryable(t: TestStack, key: string, db: Client, expected: number): Promise<void> {
  const res = await request<{ tenantId?: string }[]>('GET', `${t.queryUrl}/v1/audit?limit=1`, { key });
  if (res.status !== 200 || !Array.isArray(res.body) || res.body.length !== 1 || res.body[0].tenantId !== TENANT) {
    throw new Error(`GET /v1/audit?limit=1 answered ${res.status}: ${res.text.slice(0, 500)}`);
  }
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1', [TENANT]);
  // More rows than submitted would mean something else writes into the tenant; the figure then needs a look.
  if (Number(rows[0].n) !== expected) log(`warning: tenant ${TENANT} has ${rows[0].n} rows, ${expected} were submitted`);
}

/** The services' last output, so a failure inside them can be diagnosed from the bench's output. */
function serviceOutput(t: TestStack): string {
  return Object.values(t.stack.services)
    .map((s) => `--- ${s.name} (last output)\n${s.output.slice(-2000) || '(nothing)'}`)
    .join('\n');
}

async function main(): Promise<number> {
  const config = readBenchConfig();
  log(`machine: ${machineLine()}`);
  log(`generating ${config.events} events`);
  const events = generateEvents(config.events);
  const sizes = measureSizes(events);
  log(`event size: avg ${sizes.avg.toFixed(0)} bytes of JSON (min ${sizes.min}, max ${sizes.max})`);
  const bodies = requestBodies(events, config.batch);

  log('starting ingest, projector and query from dist/');
  let stack: TestStack | undefined;
  let db: Client | undefined;
  const cleanUp = async (): Promise<void> => {
    // Each step on its own: a failed disconnect must not leave the services or the database behind.
    await db?.end().catch(() => undefined);
    db = undefined;
    await stack?.stop().catch((err: unknown) => log(`clean-up failed: ${String(err)}`));
    stack = undefined;
  };
  process.once('SIGINT', () => {
    log('interrupted, stopping the stack');
    void cleanUp().finally(() => process.exit(130));
  });

  try {
    stack = await startTestStack('bench', { LOG_LEVEL: 'warn' });
    db = new Client({ connectionString: databaseUrl(stack.database), application_name: 'runtrail-bench' });
    await db.connect();
    const key = await stack.createKey(TENANT, ['events:write', 'audit:read']);

    log('warm-up: one batch through the pipeline');
    await warmUp(stack, db, config);

    log(`end to end: ${bodies.length} requests, ${config.concurrency} in flight`);
    let endToEnd: EndToEndResult;
    try {
      endToEnd = await runEndToEnd({
        ingestUrl: stack.ingestUrl,
        key,
        tenantId: TENANT,
        bodies,
        events: events.length,
        concurrency: config.concurrency,
        db,
        visibleTimeoutMs: config.visibleTimeoutMs,
      });
    } catch (err) {
      log(serviceOutput(stack));
      throw err;
    }
    await confirmQueryable(stack, key, db, events.length);

    // Empty again, so the baseline writes into the same empty table the projector started from.
    await db.query('TRUNCATE audit_events');
    log(`baseline: ${events.length} rows straight into audit_events, ${config.batch} per transaction`);
    const baseline = await runBaseline(
      db,
      BASELINE_TENANT,
      events.map((e) => e.event),
      config.batch,
    );

    console.log(formatReport({ config, sizes, endToEnd, baseline }));
    return 0;
  } catch (err) {
    log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    log('stopping the stack and dropping its database and namespace');
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Only configuration errors get here (before anything was started).
    console.error(`[bench] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
