import { BACKOFF, Backoff, backoffDelayMs, type BackoffPolicy } from './backoff';

const exact: BackoffPolicy = { baseMs: 100, capMs: 1000, jitter: 'none' };
const jittered: BackoffPolicy = { ...exact, jitter: 'full' };

describe('backoffDelayMs', () => {
  it('doubles from the base after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(exact, n))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('draws a full-jitter wait between 0 and that ceiling', () => {
    expect(backoffDelayMs(jittered, 3, { random: () => 0 })).toBe(0);
    expect(backoffDelayMs(jittered, 3, { random: () => 0.999 })).toBe(399);
    expect(backoffDelayMs(jittered, 30, { random: () => 0.999 })).toBe(999);
  });

  it("honours a server's Retry-After over the computed wait, bounded to four times the cap", () => {
    expect(backoffDelayMs(jittered, 1, { retryAfterMs: 2000, random: () => 0 })).toBe(2000);
    expect(backoffDelayMs(exact, 1, { retryAfterMs: 3_600_000 })).toBe(4000);
    expect(backoffDelayMs(exact, 2, { retryAfterMs: Number.NaN })).toBe(200);
    expect(backoffDelayMs(exact, 2, { retryAfterMs: -1 })).toBe(200);
  });

  it('keeps the policies in their documented ranges', () => {
    expect(backoffDelayMs(BACKOFF.dependency, 1)).toBe(250);
    expect(backoffDelayMs(BACKOFF.dependency, 10)).toBe(5000);
    expect(backoffDelayMs(BACKOFF.agent, 1)).toBe(1000);
    expect(backoffDelayMs(BACKOFF.agent, 10)).toBe(30_000);
    expect(backoffDelayMs(BACKOFF.client, 10, { random: () => 0.999 })).toBeLessThan(5000);
  });
});

describe('Backoff', () => {
  it('counts failures in a row and starts over after a success', () => {
    const b = new Backoff(exact);
    expect([b.next(), b.next(), b.next()]).toEqual([100, 200, 400]);
    expect(b.attempts).toBe(3);
    b.reset();
    expect(b.next()).toBe(100);
  });
});
