/** How long to wait between attempts. */
export interface BackoffPolicy {
  /** The wait after the first failure. */
  baseMs: number;
  /** No computed wait is longer (a server's Retry-After may ask for up to 4 times this). */
  capMs: number;
  /**
   * `full`: a random wait between 0 and the exponential ceiling, so many clients retrying
   * after one outage spread out instead of arriving together. `none`: the ceiling itself,
   * for a process waiting alone on its own dependency.
   */
  jitter: 'full' | 'none';
}

/** The policies in use; every retry or reconnect loop of the project takes one of these. */
export const BACKOFF = {
  /** A service waiting for Postgres, NATS or the stream: 250 ms, 500 ms, … 5 s. */
  dependency: { baseMs: 250, capMs: 5000, jitter: 'none' },
  /** Clients of the HTTP APIs (SDK, CLI, runner agent calls): up to 200 ms, 400 ms, … 5 s, jittered. */
  client: { baseMs: 200, capMs: 5000, jitter: 'full' },
  /** The runner agent reaching for the services it serves: 1 s, 2 s, 4 s, … 30 s. */
  agent: { baseMs: 1000, capMs: 30_000, jitter: 'none' },
} as const satisfies Record<string, BackoffPolicy>;

export interface DelayOptions {
  /** What the server asked for (HTTP `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
  random?: () => number;
}

/**
 * The wait after failed attempt number `attempt` (1 for the first failure): a server's
 * Retry-After when it gave one (bounded, so a hostile or broken server cannot park a
 * client for hours), else `baseMs * 2^(attempt-1)` capped at `capMs`, jittered as the
 * policy says.
 */
export function backoffDelayMs(policy: BackoffPolicy, attempt: number, options: DelayOptions = {}): number {
  if (options.retryAfterMs !== undefined && Number.isFinite(options.retryAfterMs) && options.retryAfterMs >= 0) {
    return Math.min(options.retryAfterMs, policy.capMs * 4);
  }
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return policy.jitter === 'full' ? Math.floor((options.random ?? Math.random)() * ceiling) : ceiling;
}

/**
 * The state of a loop that retries until it works: each `next()` is the wait after one
 * more failure in a row, `reset()` after a success starts over from the base.
 */
export class Backoff {
  private failures = 0;

  constructor(private readonly policy: BackoffPolicy) {}

  get attempts(): number {
    return this.failures;
  }

  next(options: DelayOptions = {}): number {
    this.failures++;
    return backoffDelayMs(this.policy, this.failures, options);
  }

  reset(): void {
    this.failures = 0;
  }
}
