/**
 * The benchmark's load, in a process of its own so that generating requests never shares
 * an event loop with the harness's own timing and polling. `bench.ts` starts it with one
 * job as JSON in argv[2]; it prints one line of JSON (a LoadResult) on stdout and exits.
 *
 * HTTP goes through an undici Pool: keep-alive connections, one request at a time on each
 * (no pipelining), a fixed number of them. See tools/bench/README.md ("Load generator").
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { Pool } from 'undici';
import { eventJson } from './event-generator';

interface Target {
  /** Origin of the gateway, `http://127.0.0.1:port`. */
  url: string;
  key?: string;
  /** Events per request: 1 sends one object, more send a JSON array. */
  batch: number;
  connections: number;
  seconds: number;
  /** Load sent first, in the same way, and not counted: connections, JIT, caches. */
  warmupSeconds: number;
}

/** Every connection sends its next request as soon as its previous one is answered. */
export interface ClosedLoopJob extends Target {
  kind: 'closed';
}

/**
 * Requests are due at a fixed rate whatever the answers do; each one's latency counts
 * from the time it was due, so a server that falls behind shows its queueing.
 */
export interface OpenLoopJob extends Target {
  kind: 'open';
  /** Requests per second. */
  rate: number;
}

/**
 * Open loop at `rate` requests per second, each batch tagged with its own correlation id;
 * the time from its 202 until all its events are in `audit_events` is its lag.
 */
export interface LagJob extends Target {
  kind: 'lag';
  rate: number;
  databaseUrl: string;
  tenantId: string;
  /** Visibility is polled this often. */
  pollMs: number;
}

export type LoadJob = ClosedLoopJob | OpenLoopJob | LagJob;

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  requests: number;
  /** Events in requests answered 202. */
  events: number;
  /** Answers by status; `error` for requests that got no answer. */
  statuses: Record<string, number>;
  firstProblem?: string;
  /** Epoch milliseconds of the first measured send and the last measured answer. */
  firstSentAt: number;
  lastAnsweredAt: number;
  seconds: number;
  /** Send (closed loop) or due time (open loop) until the answer. */
  latencyMs: Percentiles;
  /** Lag jobs only: 202 until visible. */
  lagMs?: Percentiles;
  /** Lag jobs only: batches that never became visible before the job gave up. */
  invisible?: number;
}

/** Nearest-rank percentiles (p in 0..100). */
export function percentiles(values: number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  return { count: sorted.length, p50: at(50), p99: at(99), max: sorted[sorted.length - 1] };
}

const epochNow = (): number => performance.timeOrigin + performance.now();

/** Request bodies built when sent: a few microseconds per event, so the client leaves the cores to the servers. */
class Bodies {
  private next = 0;
  private readonly now = Date.now();
  constructor(private readonly batch: number) {}

  take(correlationId?: string): { body: string; events: number } {
    const parts: string[] = [];
    for (let k = 0; k < this.batch; k++) {
      const json = eventJson(this.next++, this.now);
      parts.push(correlationId ? `{"correlationId":"${correlationId}",${json.slice(1)}` : json);
    }
    return { body: this.batch === 1 ? parts[0] : `[${parts.join(',')}]`, events: this.batch };
  }
}

class Recorder {
  requests = 0;
  events = 0;
  statuses: Record<string, number> = {};
  firstProblem?: string;
  latencies: number[] = [];
  firstSentAt = Infinity;
  lastAnsweredAt = 0;

  record(status: number | 'error', sentAt: number, latencyMs: number, events: number, problem?: string): void {
    this.requests++;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
    if (status === 202) this.events += events;
    else this.firstProblem ??= `${status}: ${(problem ?? '').slice(0, 300)}`;
    this.latencies.push(latencyMs);
    this.firstSentAt = Math.min(this.firstSentAt, sentAt);
    this.lastAnsweredAt = Math.max(this.lastAnsweredAt, epochNow());
  }

  result(): LoadResult {
    return {
      requests: this.requests,
      events: this.events,
      statuses: this.statuses,
      firstProblem: this.firstProblem,
      firstSentAt: this.firstSentAt,
      lastAnsweredAt: this.lastAnsweredAt,
      seconds: (this.lastAnsweredAt - this.firstSentAt) / 1000,
      latencyMs: percentiles(this.latencies),
    };
  }
}

/** One POST; resolves with the status (or 'error') and, for a refusal, the answer's text. */
async function post(pool: Pool, key: string | undefined, body: string): Promise<{ status: number | 'error'; text?: string }> {
  try {
    const res = await pool.request({
      path: '/v1/audit-events',
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body,
    });
    if (res.statusCode === 202) {
      await res.body.dump();
      return { status: 202 };
    }
    return { status: res.statusCode, text: await res.body.text() };
  } catch (err) {
    return { status: 'error', text: err instanceof Error ? err.message : String(err) };
  }
}

async function closedLoop(pool: Pool, job: Target, seconds: number, bodies: Bodies): Promise<Recorder> {
  const rec = new Recorder();
  const deadline = performance.now() + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const { body, events } = bodies.take();
      const sentAt = epochNow();
      const t0 = performance.now();
      const { status, text } = await post(pool, job.key, body);
      rec.record(status, sentAt, performance.now() - t0, events, text);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  return rec;
}

/**
 * Fixed-rate arrivals: every millisecond, whatever is due is sent (the pool queues what
 * finds no free connection). Latency counts from the due time, not from the send.
 */
async function openLoop(
  pool: Pool,
  job: Target & { rate: number },
  seconds: number,
  bodies: Bodies,
  onAccepted?: (index: number, acceptedAt: number) => void,
): Promise<Recorder> {
  const rec = new Recorder();
  const interval = 1000 / job.rate;
  const total = Math.max(1, Math.floor(seconds * job.rate));
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent++) {
        const index = sent;
        const dueAt = start + index * interval;
        const { body, events } = bodies.take(onAccepted ? `lag-${process.pid}-${index}` : undefined);
        inFlight.push(
          post(pool, job.key, body).then(({ status, text }) => {
            const now = performance.now();
            rec.record(status, performance.timeOrigin + dueAt, now - dueAt, events, text);
            if (status === 202) onAccepted?.(index, performance.timeOrigin + now);
          }),
        );
      }
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 1);
    tick();
  });
  await Promise.all(inFlight);
  return rec;
}

/** Polls audit_events for the tagged batches until each is complete (or the job gives up). */
class Visibility {
  private readonly pending = new Map<string, { acceptedAt: number; events: number }>();
  readonly lags: number[] = [];
  private stopped = false;

  constructor(
    private readonly db: Client,
    private readonly tenantId: string,
    private readonly pollMs: number,
  ) {}

  accepted(correlationId: string, acceptedAt: number, events: number): void {
    this.pending.set(correlationId, { acceptedAt, events });
  }

  get outstanding(): number {
    return this.pending.size;
  }

  async run(until: () => boolean): Promise<void> {
    while (!this.stopped) {
      if (this.pending.size > 0) {
        const ids = [...this.pending.keys()];
        const { rows } = await this.db.query<{ c: string; n: number }>(
          'SELECT correlation_id AS c, count(*)::int AS n FROM audit_events WHERE tenant_id = $1 AND correlation_id = ANY($2::text[]) GROUP BY 1',
          [this.tenantId, ids],
        );
        const seenAt = epochNow();
        for (const { c, n } of rows) {
          const p = this.pending.get(c);
          if (p && n >= p.events) {
            this.lags.push(Math.max(0, seenAt - p.acceptedAt));
            this.pending.delete(c);
          }
        }
      } else if (until()) return;
      await new Promise((r) => setTimeout(r, this.pollMs));
    }
  }

  stop(): void {
    this.stopped = true;
  }
}

async function lagRun(pool: Pool, job: LagJob, bodies: Bodies): Promise<LoadResult> {
  const db = new Client({ connectionString: job.databaseUrl, application_name: 'runtrail-bench-lag' });
  await db.connect();
  try {
    const visibility = new Visibility(db, job.tenantId, job.pollMs);
    let sending = true;
    const polling = visibility.run(() => !sending);
    const rec = await openLoop(pool, job, job.seconds, bodies, (index, acceptedAt) =>
      visibility.accepted(`lag-${process.pid}-${index}`, acceptedAt, job.batch),
    );
    sending = false;
    // The last batches need the projector's next fetch; a minute is far beyond any lag worth reporting.
    const giveUp = setTimeout(() => visibility.stop(), 60_000);
    await polling;
    clearTimeout(giveUp);
    return { ...rec.result(), lagMs: percentiles(visibility.lags), invisible: visibility.outstanding };
  } finally {
    await db.end();
  }
}

async function run(job: LoadJob): Promise<LoadResult> {
  const pool = new Pool(job.url, { connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  try {
    const bodies = new Bodies(job.batch);
    if (job.kind === 'closed') {
      if (job.warmupSeconds > 0) await closedLoop(pool, job, job.warmupSeconds, bodies);
      return (await closedLoop(pool, job, job.seconds, bodies)).result();
    }
    if (job.warmupSeconds > 0) await openLoop(pool, job, job.warmupSeconds, bodies);
    if (job.kind === 'open') return (await openLoop(pool, job, job.seconds, bodies)).result();
    return await lagRun(pool, job, bodies);
  } finally {
    await pool.close();
  }
}

if (require.main === module) {
  run(JSON.parse(process.argv[2] ?? '{}') as LoadJob).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`load generator failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
