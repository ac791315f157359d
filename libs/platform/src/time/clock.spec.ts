import { ManualClock, SystemClock } from './clock';

describe('clocks', () => {
  it('the system clock reads the time', () => {
    const before = Date.now();
    const now = new SystemClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('a manual clock moves only when told, and writes ISO-8601 UTC with milliseconds', () => {
    const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));
    expect(clock.iso()).toBe('2026-03-01T10:00:00.000Z');
    clock.advance(1500);
    expect(clock.iso()).toBe('2026-03-01T10:00:01.500Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now()).toBe(Date.parse('2027-01-01T00:00:00Z'));
  });
});
