import { Backoff, type BackoffPolicy } from './backoff';

/**
 * Waits `ms`, or less when `signal` aborts first (it resolves then, never rejects: the
 * caller checks why it woke up).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions {
  policy: BackoffPolicy;
  /** Attempts in all, the first included; unbounded by default. */
  maxAttempts?: number;
  /** Whether a failure may succeed if tried again; any other is thrown at once. */
  retryIf?: (error: unknown) => boolean;
  /** A wait the failure itself asks for (an HTTP Retry-After), in milliseconds. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** Told before each wait, to log it. */
  onRetry?: (error: unknown, failures: number, delayMs: number) => void;
  /** Gives up (throwing the last failure) as soon as it aborts, also during a wait. */
  signal?: AbortSignal;
  /** Gives up when the next wait would end after this time (epoch ms). */
  deadline?: number;
}

/**
 * Runs `attempt` until it resolves, waiting between failures as the policy says. The
 * last failure is thrown when the attempts, the deadline or the signal run out, or at
 * once when `retryIf` says it is not worth another try.
 */
export async function retry<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const backoff = new Backoff(options.policy);
  const maxAttempts = options.maxAttempts ?? Infinity;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= maxAttempts || options.signal?.aborted || !(options.retryIf?.(error) ?? true)) throw error;
      const wait = backoff.next({ retryAfterMs: options.retryAfterMs?.(error) });
      if (options.deadline !== undefined && Date.now() + wait >= options.deadline) throw error;
      options.onRetry?.(error, n, wait);
      await sleep(wait, options.signal);
      if (options.signal?.aborted) throw error;
    }
  }
}
