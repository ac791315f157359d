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
