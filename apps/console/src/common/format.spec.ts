import { describe, expect, it } from 'vitest';
import { formatDuration, formatInZone, formatLocal, formatUtc } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [999, '999 ms'],
    [1000, '1 s'],
    [12_345, '12 s'],
    [59_999, '59 s'],
    [60_000, '1 m 00 s'],
    [65_000, '1 m 05 s'],
    [3_599_000, '59 m 59 s'],
    [3_600_000, '1 h 00 m 00 s'],
    [7_389_000, '2 h 03 m 09 s'],
    [86_400_000, '1 d 00 h 00 m'],
    [3 * 86_400_000 + 4 * 3_600_000 + 10 * 60_000 + 5_000, '3 d 04 h 10 m'],
  ])('%i ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows a dash for a run without a duration', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('times', () => {
  it('shows UTC to the second', () => {
    expect(formatUtc('2022-07-07T09:45:32.069Z')).toBe('2022-07-07 09:45:32');
    expect(formatUtc('2022-07-07T11:45:32+02:00')).toBe('2022-07-07 09:45:32');
  });

  it("shows an instant on a time zone's clocks, to the minute", () => {
    expect(formatInZone('2026-12-06T01:30:00Z', 'Europe/Berlin')).toBe('Sun 2026-12-06 02:30');
    expect(formatInZone(new Date('2026-07-05T01:30:00Z'), 'Europe/Berlin')).toBe('Sun 2026-07-05 03:30');
    expect(formatInZone('2026-12-06T01:30:00Z', 'UTC')).toBe('Sun 2026-12-06 01:30');
  });

  it('gives the local time for a title', () => {
    expect(formatLocal('2022-07-07T09:45:32.069Z')).toMatch(/^Local time: .*2022/);
  });
});
