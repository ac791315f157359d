import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  it('reads Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('parseRetryAfter, more closely', () => {
  const now = Date.parse('2026-03-01T10:00:00.000Z');

  it('is undefined without the header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it.each([
    ['3', 3000],
    [' 3 ', 3000],
    ['0', 0],
    ['120', 120_000],
  ])('reads delay-seconds %j as %i ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it('reads an HTTP date as the milliseconds from now until then', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('reads an HTTP date in the past as 0', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:59:00 GMT', now)).toBe(0);
  });

  it.each(['soon', '', 'later, maybe', '-1', '3.5', '1 2', '+3'])('is undefined for %j', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
