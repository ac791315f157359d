import { describe, expect, it } from 'vitest';
import { fromDateTimeLocal, needsPin, pinPreset, presetStart, rangeQuery, readTimeRange, toDateTimeLocal, writeTimeRange } from './time-range';

const NOW = new Date('2026-11-30T12:00:00.500Z');

describe('time range', () => {
  it('pins each preset to the instant it stands for', () => {
    expect(presetStart('1h', NOW)).toBe('2026-11-30T11:00:00Z');
    expect(presetStart('24h', NOW)).toBe('2026-11-29T12:00:00Z');
    expect(presetStart('7d', NOW)).toBe('2026-11-23T12:00:00Z');
    expect(needsPin({ range: '1h' })).toBe(true);
    expect(pinPreset({ range: '1h' }, NOW)).toEqual({ range: '1h', start: '2026-11-30T11:00:00Z' });
    expect(needsPin({ range: '1h', start: 'x' })).toBe(false);
    expect(needsPin({ range: 'custom' })).toBe(false);
  });

  it('reads datetime-local fields as UTC minutes the API reads, and back', () => {
    expect(fromDateTimeLocal('2026-12-01T09:45')).toBe('2026-12-01T09:45Z');
    expect(fromDateTimeLocal('2026-12-01T09:45:30')).toBe('2026-12-01T09:45:30Z');
    expect(fromDateTimeLocal('yesterday')).toBeUndefined();
    expect(toDateTimeLocal('2026-12-01T09:45Z')).toBe('2026-12-01T09:45');
    expect(toDateTimeLocal('2026-12-01T09:45:30Z')).toBe('2026-12-01T09:45:30');
    expect(toDateTimeLocal('2026-12-01T09:45:00Z')).toBe('2026-12-01T09:45');
    expect(toDateTimeLocal('2026-1-5')).toBe('2026-01-05T00:00');
    expect(toDateTimeLocal('2026-12-01T09:45:00+01:00')).toBe('');
  });

  it('round-trips through the URL', () => {
    const params = new URLSearchParams('q=x');
    writeTimeRange(params, { range: 'custom', start: '2026-01-01T00:00Z', end: '2026-01-02T00:00Z' });
    expect(params.toString()).toBe('q=x&range=custom&start=2026-01-01T00%3A00Z&end=2026-01-02T00%3A00Z');
    expect(readTimeRange(params)).toEqual({ range: 'custom', start: '2026-01-01T00:00Z', end: '2026-01-02T00:00Z' });
    writeTimeRange(params, { range: 'any' });
    expect(params.toString()).toBe('q=x');
    expect(rangeQuery({ range: 'any' })).toEqual({});
  });
});
