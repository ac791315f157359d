import { BACKOFF, type BackoffPolicy } from '@runtrail/platform/retry';

/** Statuses worth retrying: the request may succeed later unchanged. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** How often a call is tried and how long it waits in between (the project's one backoff rule). */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, backoff: BACKOFF.client };

/** A `Retry-After` header (seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  // A number is seconds (never a date: Date.parse reads "-1" as a year).
  if (/^\s*[-+]?\d/.test(header)) {
    const seconds = Number(header);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
  }
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}
