import { instantOf, wallTime } from './wall-time';

const at = (iso: string) => Date.parse(iso);

describe('wall time', () => {
  it('reads the clock of a zone as floating UTC, to the millisecond', () => {
    expect(wallTime(at('2026-07-01T10:00:00.123Z'), 'Europe/Berlin')).toBe(at('2026-07-01T12:00:00.123Z'));
    expect(wallTime(at('2026-12-31T23:30:00Z'), 'Asia/Tokyo')).toBe(at('2027-01-01T08:30:00Z'));
    expect(wallTime(at('2026-12-31T23:30:00Z'), 'UTC')).toBe(at('2026-12-31T23:30:00Z'));
  });

  it('maps a wall time back to its instant: once, the first occurrence, or the end of the gap', () => {
    expect(instantOf(at('2026-07-01T12:00:00Z'), 'Europe/Berlin')).toBe(at('2026-07-01T10:00:00Z'));
    // 2026-10-25 02:30 happens at 00:30Z (summer time) and 01:30Z: the first.
    expect(instantOf(at('2026-10-25T02:30:00Z'), 'Europe/Berlin')).toBe(at('2026-10-25T00:30:00Z'));
    // 2027-03-28 02:30 does not happen: 03:00 CEST, 01:00Z, ends the gap.
    expect(instantOf(at('2027-03-28T02:30:00Z'), 'Europe/Berlin')).toBe(at('2027-03-28T01:00:00Z'));
  });
});
