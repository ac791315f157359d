/** What one benchmark run does, read from the environment (README "Configuration"). */
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
