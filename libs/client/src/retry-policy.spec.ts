import { RETRYABLE_STATUSES, retryDelayMs } from './retry-policy';

const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };

describe('retryDelayMs', () => {
  it('retries only statuses that may succeed later', () => {
    expect([...RETRYABLE_STATUSES].sort()).toEqual([429, 502, 503, 504]);
  });

  it('honours Retry-After in seconds or as an HTTP date', () => {
    expect(retryDelayMs(1, '2', policy)).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryDelayMs(1, 'Thu, 01 Jan 2026 00:00:03 GMT', policy, Math.random, now)).toBe(3000);
  });

  it('bounds what the server asks for', () => {
    expect(retryDelayMs(1, '3600', policy)).toBe(4000);
  });

  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(1, null, policy, () => 0.999)).toBe(99);
    expect(retryDelayMs(3, null, policy, () => 0.999)).toBe(399);
    expect(retryDelayMs(10, null, policy, () => 0.999)).toBe(999);
    expect(retryDelayMs(3, null, policy, () => 0)).toBe(0);
  });
});
