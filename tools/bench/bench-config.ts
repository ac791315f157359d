/** What a seed-through-ingest run does (the console benchmark), read from the environment. */
export interface BenchConfig {
  /** Events submitted end to end, and the same number inserted by the baseline. */
  events: number;
  /** Events per request, and rows per transaction in the baseline. */
  batch: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** How long to wait for all rows to become visible before giving up. */
  visibleTimeoutMs: number;
}

/** The contract takes 1 to 1000 events per request. */
const MAX_BATCH = 1000;

/** The integer in env `name`, 1 to `max`; `fallback` when it is unset or empty. */
export function positiveInt(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer between 1 and ${max}, got "${raw}"`);
  }
  return value;
}

/** What a benchmark may set apart from the ingest benchmark's defaults. */
export interface BenchDefaults {
  events: number;
  timeoutSeconds: number;
  maxConcurrency: number;
}

const INGEST_DEFAULTS: BenchDefaults = { events: 100_000, timeoutSeconds: 150, maxConcurrency: 256 };

export function readBenchConfig(defaults: Partial<BenchDefaults> = {}): BenchConfig {
  const d = { ...INGEST_DEFAULTS, ...defaults };
  return {
    events: positiveInt('BENCH_EVENTS', d.events),
    batch: positiveInt('BENCH_BATCH', 500, MAX_BATCH),
    concurrency: positiveInt('BENCH_CONCURRENCY', 4, d.maxConcurrency),
    visibleTimeoutMs: positiveInt('BENCH_TIMEOUT_S', d.timeoutSeconds) * 1000,
  };
}

/** What one `npm run bench` does, read from the environment (tools/bench/README.md, "Configuration"). */
export interface FullBenchConfig {
  /** Length of every timed load phase. */
  seconds: number;
  /** Seeded rows in each of action_runs and audit_events, among ten tenants. */
  rows: number;
  /** Rows the export downloads (the measured tenant gets at least as many audit events). */
  exportRows: number;
  /** The cursor page whose request is timed. */
  deepPage: number;
  /** Events per batched request, and rows per baseline transaction. */
  batch: number;
  /** Batched requests in flight. */
  concurrency: number;
  /** Keep-alive connections for the single-event runs. */
  connections: number;
  /** Where the JSON goes. */
  out: string;
  /** Missed targets make the exit code 1. */
  enforce: boolean;
  /** How long to wait for the projector (rows visible, catching up). */
  timeoutMs: number;
  /** The phases to run (BENCH_PHASES, comma-separated ids); all when absent. */
  phases: ReadonlySet<string> | null;
}

/** Every phase id, in the order a run takes them (tools/bench/README.md, "Phases"). */
export const BENCH_PHASES = ['warm-up', 'batched', 'baselines', 'gateways', 'lag', 'seed', 'queries', 'deep-page', 'export'] as const;

function phasesFrom(raw: string | undefined): ReadonlySet<string> | null {
  if (raw === undefined || raw.trim() === '') return null;
  const ids = raw.split(',').map((id) => id.trim());
  const unknown = ids.filter((id) => !(BENCH_PHASES as readonly string[]).includes(id));
  if (unknown.length > 0) throw new Error(`BENCH_PHASES: unknown phase ${unknown.join(', ')}; the phases are ${BENCH_PHASES.join(', ')}`);
  return new Set(ids);
}

export function readFullBenchConfig(): FullBenchConfig {
  return {
    seconds: positiveInt('BENCH_SECONDS', 60, 3600),
    rows: positiveInt('BENCH_ROWS', 10_000_000, 1_000_000_000),
    exportRows: positiveInt('BENCH_EXPORT_ROWS', 1_000_000),
    deepPage: positiveInt('BENCH_DEEP_PAGE', 10_000),
    batch: positiveInt('BENCH_BATCH', 500, MAX_BATCH),
    concurrency: positiveInt('BENCH_CONCURRENCY', 4, 256),
    connections: positiveInt('BENCH_CONNECTIONS', 64, 1024),
    out: process.env.BENCH_OUT || 'bench/results/latest.json',
    enforce: process.env.BENCH_ENFORCE === '1',
    timeoutMs: positiveInt('BENCH_TIMEOUT_S', 600) * 1000,
    phases: phasesFrom(process.env.BENCH_PHASES),
  };
}
