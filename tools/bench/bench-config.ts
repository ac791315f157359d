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

function positiveInt(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer between 1 and ${max}, got "${raw}"`);
  }
  return value;
}

export function readBenchConfig(): BenchConfig {
  return {
    events: positiveInt('BENCH_EVENTS', 100_000),
    batch: positiveInt('BENCH_BATCH', 500, MAX_BATCH),
    concurrency: positiveInt('BENCH_CONCURRENCY', 4, 256),
    visibleTimeoutMs: positiveInt('BENCH_TIMEOUT_S', 150) * 1000,
  };
}
