import { Metrics, RateLimitedError } from '@runtrail/platform';
import type { AuthContext } from './auth-context';
import { ApiRateLimit, rateLimitsFrom } from './rate-limit';
import { RateLimiter, type RateLimits } from './rate-limiter';

/** A clock the test moves by hand, in milliseconds. */
function manualClock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function takeN(limiter: RateLimiter, n: number, key: string, tenant: string | null) {
  return Array.from({ length: n }, () => limiter.take(key, tenant).allowed);
}

describe('RateLimiter (token buckets per key and per tenant)', () => {
  const keyOnly: RateLimits = { key: { perSecond: 2, burst: 3 }, tenant: null };

  it('allows a burst, then refuses with the seconds until the next token', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(keyOnly, clock.now);
    expect(takeN(limiter, 3, 'k1', 'acme')).toEqual([true, true, true]);
    expect(limiter.take('k1', 'acme')).toEqual({ allowed: false, limit: 'key', retryAfterSeconds: 1 });
  });

  it('refills at the sustained rate, never above the burst', () => {
    const clock = manualClock();
    const limiter = new RateLimiter(keyOnly, clock.now);
    takeN(limiter, 3, 'k1', 'acme');
    clock.advance(500); // one token at 2/s
    expect(takeN(limiter, 2, 'k1', 'acme')).toEqual([true, false]);
    clock.advance(60_000); // a long pause refills to the burst, not beyond
    expect(takeN(limiter, 4, 'k1', 'acme')).toEqual([true, true, true, false]);
  });

  it('a refused request costs nothing: waiting Retry-After is enough', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 1, burst: 1 }, tenant: null }, clock.now);
    expect(limiter.take('k', 't').allowed).toBe(true);
    for (let i = 0; i < 50; i++) expect(limiter.take('k', 't').allowed).toBe(false);
    const refused = limiter.take('k', 't');
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(1000);
    expect(limiter.take('k', 't').allowed).toBe(true);
  });

  it('rounds Retry-After up to whole seconds at slow rates', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 1, burst: 1 }, tenant: { perSecond: 1, burst: 10 } }, clock.now);
    limiter.take('k', 't');
    clock.advance(100);
    expect(limiter.take('k', 't')).toEqual({ allowed: false, limit: 'key', retryAfterSeconds: 1 });
    const slow = new RateLimiter({ key: null, tenant: { perSecond: 1, burst: 1 } }, clock.now);
    slow.take('k', 't');
    expect(slow.take('k2', 't')).toEqual({ allowed: false, limit: 'tenant', retryAfterSeconds: 1 });
  });

  it('keeps keys apart, and tenants apart: a noisy tenant does not starve another', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 1, burst: 2 }, tenant: { perSecond: 1, burst: 3 } }, clock.now);
    expect(takeN(limiter, 2, 'a1', 'acme')).toEqual([true, true]);
    expect(limiter.take('a1', 'acme')).toMatchObject({ allowed: false, limit: 'key' });
    // a second key of the same tenant has its own key bucket but shares the tenant's
    expect(takeN(limiter, 2, 'a2', 'acme')).toEqual([true, false]);
    expect(limiter.take('a2', 'acme')).toMatchObject({ allowed: false, limit: 'tenant' });
    // another tenant is untouched
    expect(takeN(limiter, 2, 'g1', 'globex')).toEqual([true, true]);
  });

  it('takes from both buckets or from neither', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 1, burst: 5 }, tenant: { perSecond: 1, burst: 2 } }, clock.now);
    expect(takeN(limiter, 3, 'a1', 'acme')).toEqual([true, true, false]);
    // the refused third request did not spend a1's key token: after the tenant refills, a1 has 3 left
    clock.advance(10_000);
    expect(takeN(limiter, 2, 'a1', 'acme')).toEqual([true, true]);
    expect(limiter.take('a1', 'acme')).toMatchObject({ allowed: false, limit: 'tenant' });
  });

  it('gives the root key (no tenant) its own key bucket only', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 1, burst: 2 }, tenant: { perSecond: 1, burst: 1 } }, clock.now);
    expect(takeN(limiter, 3, 'root', null)).toEqual([true, true, false]);
    expect(limiter.take('a1', 'acme').allowed).toBe(true);
  });

  it('limits nothing when both limits are off', () => {
    const limiter = new RateLimiter({ key: null, tenant: null });
    expect(limiter.enabled).toBe(false);
    expect(takeN(limiter, 10_000, 'k', 't').every(Boolean)).toBe(true);
    expect(limiter.size).toBe(0);
  });

  it('forgets buckets that refilled, so memory does not grow with every key ever seen', () => {
    const clock = manualClock();
    const limiter = new RateLimiter({ key: { perSecond: 10, burst: 10 }, tenant: { perSecond: 10, burst: 10 } }, clock.now);
    for (let i = 0; i < 1000; i++) limiter.take(`k${i}`, `t${i % 10}`);
    expect(limiter.size).toBe(1010);
    clock.advance(61_000);
    limiter.take('busy', 't0');
    expect(limiter.size).toBe(2);
  });

  it('refuses a limit that could never be met', () => {
    expect(() => new RateLimiter({ key: { perSecond: 0, burst: 1 }, tenant: null })).toThrow();
    expect(() => new RateLimiter({ key: null, tenant: { perSecond: 1, burst: 0 } })).toThrow();
  });
});

describe('rateLimitsFrom', () => {
  it('switches a limit off with a rate of 0', () => {
    expect(
      rateLimitsFrom({ RATE_LIMIT_KEY_PER_SECOND: 0, RATE_LIMIT_KEY_BURST: 5, RATE_LIMIT_TENANT_PER_SECOND: 3, RATE_LIMIT_TENANT_BURST: 6 }),
    ).toEqual({ key: null, tenant: { perSecond: 3, burst: 6 } });
  });
});

describe('ApiRateLimit', () => {
  const auth = (keyId: string, tenantId: string | null): AuthContext => ({
    keyId,
    tenantId,
    principal: { type: 'Application', id: keyId, name: keyId },
    scopes: [],
  });

  it('throws RateLimitedError with Retry-After and counts the refusal per tenant, never per key', async () => {
    const metrics = new Metrics('test');
    const clock = manualClock();
    const limit = new ApiRateLimit(new RateLimiter({ key: { perSecond: 1, burst: 1 }, tenant: null }, clock.now), metrics);
    limit.check(auth('secret-key-id', 'acme'));
    let thrown: unknown;
    try {
      limit.check(auth('secret-key-id', 'acme'));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(RateLimitedError);
    expect((thrown as RateLimitedError).retryAfterSeconds).toBe(1);
    expect((thrown as RateLimitedError).message).toMatch(/^rate limit of this API key exceeded \(1 requests per second, bursts of 1\)/);
    limit.check(auth('root', null));
    expect(() => limit.check(auth('root', null))).toThrow(RateLimitedError);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/runtrail_rate_limited_requests_total\{tenant="acme",limit="key",service="test"\} 1/);
    expect(text).toMatch(/runtrail_rate_limited_requests_total\{tenant="_root",limit="key",service="test"\} 1/);
    expect(text).not.toContain('secret-key-id');
  });
});
