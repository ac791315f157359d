import { RateLimitedError, type Metrics } from '@runtrail/platform';
import type { Counter } from 'prom-client';
import type { AuthContext } from './auth-context';
import { RateLimiter, type RateLimit, type RateLimits } from './rate-limiter';

/** The environment settings behind the limits (SharedConfig's RATE_LIMIT_*); a rate of 0 switches a limit off. */
export interface RateLimitSettings {
  RATE_LIMIT_KEY_PER_SECOND: number;
  RATE_LIMIT_KEY_BURST: number;
  RATE_LIMIT_TENANT_PER_SECOND: number;
  RATE_LIMIT_TENANT_BURST: number;
}

function limit(perSecond: number, burst: number): RateLimit | null {
  return perSecond > 0 ? { perSecond, burst } : null;
}

export function rateLimitsFrom(s: RateLimitSettings): RateLimits {
  return {
    key: limit(s.RATE_LIMIT_KEY_PER_SECOND, s.RATE_LIMIT_KEY_BURST),
    tenant: limit(s.RATE_LIMIT_TENANT_PER_SECOND, s.RATE_LIMIT_TENANT_BURST),
  };
}

/** The `tenant` label of the root key, which has none; not a valid tenant slug, so it cannot collide. */
export const ROOT_TENANT_LABEL = '_root';

/**
 * Rate limiting of authenticated API calls, applied by ApiKeyGuard once it knows the
 * key: 429 with Retry-After through the one exception filter, and a counter of refusals
 * per tenant (never per key: the label must not carry anything secret, and tenants
 * bound its cardinality).
 */
export class ApiRateLimit {
  private readonly refused: Counter<'tenant' | 'limit'>;

  constructor(
    private readonly limiter: RateLimiter,
    metrics: Metrics,
  ) {
    this.refused = metrics.counter(
      'runtrail_rate_limited_requests_total',
      'Requests refused with 429 because the key or its tenant exceeded its rate limit',
      ['tenant', 'limit'],
    );
  }

  /** Throws RateLimitedError when the caller has no token left. */
  check(auth: AuthContext): void {
    if (!this.limiter.enabled) return;
    const decision = this.limiter.take(auth.keyId, auth.tenantId);
    if (decision.allowed) return;
    this.refused.inc({ tenant: auth.tenantId ?? ROOT_TENANT_LABEL, limit: decision.limit });
    const l = this.limiter.limits[decision.limit];
    const whose = decision.limit === 'key' ? 'this API key' : `tenant ${auth.tenantId}`;
    const terms = l ? ` (${l.perSecond} requests per second, bursts of ${l.burst})` : '';
    throw new RateLimitedError(
      `rate limit of ${whose} exceeded${terms}; ` +
        `retry after ${decision.retryAfterSeconds} s`,
      decision.retryAfterSeconds,
    );
  }
}
