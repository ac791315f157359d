import type { Client } from 'pg';
import { databaseUrl, projectorCaughtUp, type TestStack } from '@runtrail/testing';
import { runCopyBaseline, runInsertBaseline, type BaselineResult } from './baseline-run';
import type { FullBenchConfig } from './bench-config';
import { isStopping, runLoad, startMinimalGateway } from './bench-processes';
import { waitForProjected } from './end-to-end-run';
import type { LoadResult } from './load-generator';
import { CpuMeter, type CpuUse } from './process-cpu';

export const BATCH_TENANT = 'bench';
export const SINGLE_TENANT = 'bench-single';
export const LAG_TENANT = 'bench-lag';

export interface BatchedFigures {
  load: LoadResult;
  /** First request sent -> every row in audit_events. */
  seconds: number;
  eventsPerSecond: number;
  /** CPU of the services, NATS and Postgres from the first request until the last row was visible. */
  cpu: CpuUse;
}

export interface GatewayFigures {
  single: LoadResult;
  singleRps: number;
  /** The open-loop run at `openRate` requests per second. */
  open: LoadResult;
  openRate: number;
  minimal: LoadResult;
  minimalRps: number;
  /** The minimal gateway open loop at 80% of its own saturated rate: what the machine allows the p99 target. */
  minimalOpen: LoadResult;
  minimalOpenRate: number;
}

/** The stack's services by name, with their current pids (a restarted service is followed). */
export const servicePids = (t: TestStack) => (): Record<string, number | undefined> => Object.fromEntries(Object.values(t.stack.services).map((s) => [s.name, s.pid]));

/** Warm-up before each single-event run: connections, JIT and caches, not measured. */
const warmupSeconds = (c: FullBenchConfig): number => Math.min(5, Math.max(1, Math.round(c.seconds / 5)));

/** Every request must have been answered 202; anything else makes the figure wrong. */
export function requireAll202(what: string, r: LoadResult): void {
  const refused = Object.entries(r.statuses).filter(([status]) => status !== '202');
  if (refused.length > 0 || r.requests === 0) {
    throw new Error(`${what}: ${r.requests} requests, answers ${JSON.stringify(r.statuses)}; first problem: ${r.firstProblem ?? 'none'}`);
  }
}

/**
 * Batched ingest end to end: BENCH_CONCURRENCY clients post arrays of BENCH_BATCH events
 * for BENCH_SECONDS, then the harness waits until every accepted event is a row of
 * audit_events (the table GET /v1/audit reads): it asks the projector's consumer (cheap)
 * from the last 202 on, and counts the rows once at the end.
 */
export async function measureBatched(t: TestStack, db: Client, key: string, c: FullBenchConfig): Promise<BatchedFigures> {
  const meter = new CpuMeter(servicePids(t));
  const load = await runLoad({ kind: 'closed', url: t.ingestUrl, key, batch: c.batch, connections: c.concurrency, seconds: c.seconds, warmupSeconds: 0 });
  requireAll202('batched ingest', load);
  const visible = performance.timeOrigin + (await waitForProjected(t, db, BATCH_TENANT, load.events, c.timeoutMs));
  const cpu = meter.read();
  const seconds = (visible - load.firstSentAt) / 1000;
  return { load, seconds, eventsPerSecond: load.events / seconds, cpu };
}

/** Both baselines write as many rows as the pipeline did, each into the table emptied first. */
export async function measureBaselines(
  t: TestStack,
  db: Client,
  rows: number,
  c: FullBenchConfig,
): Promise<{ insert: BaselineResult; insertCpu: CpuUse; copy: BaselineResult }> {
  await db.query('TRUNCATE audit_events');
  const meter = new CpuMeter(servicePids(t));
  const insert = await runInsertBaseline(db, 'bench-baseline', rows, c.batch);
  const insertCpu = meter.read();
  await db.query('TRUNCATE audit_events');
  const copy = await runCopyBaseline(db, 'bench-copy', rows, c.batch);
  await db.query('TRUNCATE audit_events');
  return { insert, insertCpu, copy };
}

/**
 * The gateway alone against the minimal gateway, under the same load generator one after
 * the other: single-event requests on BENCH_CONNECTIONS keep-alive connections, closed
 * loop (saturation), then each open loop at 80% of its own saturated rate (the minimal
 * gateway's p99 is the reference for the target on the ingest gateway's).
 * The projector is stopped meanwhile, so neither gateway shares the two cores with it
 * (the minimal gateway's stream has no consumer at all); it starts again afterwards and
 * catches up before the next phase.
 */
export async function measureGateways(t: TestStack, key: string, c: FullBenchConfig, log: (m: string) => void): Promise<GatewayFigures> {
  const warmup = warmupSeconds(c);
  const target = { batch: 1, connections: c.connections, seconds: c.seconds, warmupSeconds: warmup };
  await t.stack.services.projector.stop();
  try {
    log(`  ingest gateway, closed loop, ${c.connections} connections, ${warmup} s warm-up + ${c.seconds} s`);
    const single = await runLoad({ kind: 'closed', url: t.ingestUrl, key, ...target });
    requireAll202('single-event ingest (closed loop)', single);
    const singleRps = single.requests / single.seconds;

    const openRate = Math.max(1, Math.round(singleRps * 0.8));
    log(`  ingest gateway, open loop at ${openRate} requests/s (80% of ${Math.round(singleRps)})`);
    const open = await runLoad({ kind: 'open', url: t.ingestUrl, key, rate: openRate, ...target });
    requireAll202('single-event ingest (open loop)', open);

    log('  minimal gateway (Fastify + js.publish), closed loop, same load');
    const gateway = await startMinimalGateway(t.env.NATS_URL as string, `${t.namespace}-min`);
    let minimal: LoadResult;
    let minimalOpen: LoadResult;
    let minimalOpenRate: number;
    try {
      minimal = await runLoad({ kind: 'closed', url: gateway.url, ...target });
      requireAll202('minimal gateway', minimal);
      minimalOpenRate = Math.max(1, Math.round((minimal.requests / minimal.seconds) * 0.8));
      log(`  minimal gateway, open loop at ${minimalOpenRate} requests/s (80% of its own rate)`);
      minimalOpen = await runLoad({ kind: 'open', url: gateway.url, rate: minimalOpenRate, ...target });
      requireAll202('minimal gateway (open loop)', minimalOpen);
    } finally {
      await gateway.stop();
    }
    return { single, singleRps, open, openRate, minimal, minimalRps: minimal.requests / minimal.seconds, minimalOpen, minimalOpenRate };
  } finally {
    // Not while the bench is being stopped: the clean-up may already have dropped the database.
    if (!isStopping()) {
      t.stack.services.projector.start();
      await t.stack.services.projector.waitReady(60_000);
      log('  projector started again; waiting until it has caught up');
      await projectorCaughtUp(t, c.timeoutMs);
    }
  }
}

/**
 * End-to-end lag at half the batched maximum: batches of BENCH_BATCH events at a fixed
 * rate, each tagged with its own correlation id; the load process polls audit_events
 * every 5 ms and takes, per batch, the time from its 202 to all its rows being there.
 */
export async function measureLag(t: TestStack, key: string, batchedEventsPerSecond: number, c: FullBenchConfig): Promise<{ load: LoadResult; eventsPerSecond: number }> {
  const eventsPerSecond = batchedEventsPerSecond / 2;
  const rate = eventsPerSecond / c.batch;
  const load = await runLoad({
    kind: 'lag',
    url: t.ingestUrl,
    key,
    batch: c.batch,
    connections: c.concurrency * 4,
    seconds: c.seconds,
    warmupSeconds: 0,
    rate,
    databaseUrl: databaseUrl(t.database),
    tenantId: LAG_TENANT,
    pollMs: 5,
  });
  requireAll202('end-to-end lag', load);
  if (load.invisible) throw new Error(`end-to-end lag: ${load.invisible} accepted batches never became visible`);
  return { load, eventsPerSecond };
}
