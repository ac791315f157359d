/** A sustained rate with a burst allowance: a token bucket of `burst` tokens refilled at `perSecond`. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** Which buckets a request must find a token in; null switches that limit off. */
export interface RateLimits {
  key: RateLimit | null;
  tenant: RateLimit | null;
}

export type RateLimitDecision =
  | { allowed: true }
  | { allowed: false; limit: 'key' | 'tenant'; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** Clock reading (ms) at which `tokens` was last brought up to date. */
  at: number;
}

/** Idle buckets are dropped this often; a dropped bucket was full, so nothing is forgotten. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Per-key and per-tenant token buckets, in memory. A request costs one token from its
 * key's bucket and one from its tenant's bucket, taken from both or from neither: a
 * refused request costs nothing, so a client that waits `retryAfterSeconds` gets
 * through. Each tenant has its own buckets, so a noisy tenant never spends another's
 * share; the root key (no tenant) has only its key bucket. Refill is computed lazily
 * from a monotonic clock, so there are no timers and an idle bucket costs nothing.
 * See docs/adr/0008-rate-limits.md.
 */
export class RateLimiter {
  private readonly keys = new Map<string, Bucket>();
  private readonly tenants = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(
    readonly limits: RateLimits,
    private readonly now: () => number = () => performance.now(),
  ) {
    for (const l of [limits.key, limits.tenant]) {
      if (l && !(l.perSecond > 0 && l.burst >= 1)) throw new Error('a rate limit needs perSecond > 0 and burst >= 1');
    }
    this.lastSweep = now();
  }

  get enabled(): boolean {
    return this.limits.key !== null || this.limits.tenant !== null;
  }

  /** Takes one token for this key (and its tenant, unless null), or says how long to wait. */
  take(keyId: string, tenantId: string | null): RateLimitDecision {
    const now = this.now();
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) this.sweep(now);
    const { key: keyLimit, tenant: tenantLimit } = this.limits;
    const key = keyLimit ? refill(this.keys, keyId, keyLimit, now) : undefined;
    const tenant = tenantLimit && tenantId !== null ? refill(this.tenants, tenantId, tenantLimit, now) : undefined;
    const keyWait = key && keyLimit ? secondsUntilToken(key, keyLimit) : 0;
    const tenantWait = tenant && tenantLimit ? secondsUntilToken(tenant, tenantLimit) : 0;
    if (keyWait > 0 || tenantWait > 0) {
      return {
        allowed: false,
        limit: keyWait >= tenantWait ? 'key' : 'tenant',
        retryAfterSeconds: Math.max(1, Math.ceil(Math.max(keyWait, tenantWait))),
      };
    }
    if (key) key.tokens -= 1;
    if (tenant) tenant.tokens -= 1;
    return { allowed: true };
  }

  /** Buckets held in memory (for tests and a sanity check on growth). */
  get size(): number {
    return this.keys.size + this.tenants.size;
  }

  /** Drops buckets that have refilled completely: a fresh bucket is the same. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [map, limit] of [
      [this.keys, this.limits.key],
      [this.tenants, this.limits.tenant],
    ] as const) {
      if (!limit) continue;
      for (const [id, b] of map) {
        if (b.tokens + ((now - b.at) / 1000) * limit.perSecond >= limit.burst) map.delete(id);
      }
    }
  }
}

function refill(map: Map<string, Bucket>, id: string, limit: RateLimit, now: number): Bucket {
  let b = map.get(id);
  if (!b) {
    b = { tokens: limit.burst, at: now };
    map.set(id, b);
    return b;
  }
  // max(0, …): a clock that reads the same (or, for an injected clock, less) adds nothing.
  b.tokens = Math.min(limit.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * limit.perSecond);
  b.at = now;
  return b;
}

/** 0 when a token is there now, else the seconds until there is one. */
function secondsUntilToken(b: Bucket, limit: RateLimit): number {
  return b.tokens >= 1 ? 0 : (1 - b.tokens) / limit.perSecond;
}
