import { describe, expect, it } from 'vitest';
import type { RunStatsBucket } from '../api/types';
import { bucketLabel, durationSummary, failureRate, failureSummary, runsSummary } from './stats-series';

const bucket = (day: string, counts: Partial<RunStatsBucket>): RunStatsBucket => ({
  bucketStart: `${day}T00:00:00.000Z`,
  total: 0,
  successful: 0,
  failed: 0,
  aborted: 0,
  running: 0,
  avgDurationMs: null,
  p50DurationMs: null,
  p95DurationMs: null,
  ...counts,
});

const BUCKETS = [
  bucket('2026-11-28', { total: 10, successful: 8, failed: 2, p50DurationMs: 65_000, p95DurationMs: 200_000, avgDurationMs: 70_000 }),
  bucket('2026-11-29', { total: 5, successful: 2, failed: 1, aborted: 1, running: 1, p50DurationMs: 850, p95DurationMs: 1_500, avgDurationMs: 900 }),
];

describe('insights series', () => {
  it('labels buckets in UTC by interval', () => {
    expect(bucketLabel('2026-11-30T13:00:00.000Z', 'hour')).toBe('2026-11-30 13:00');
    expect(bucketLabel('2026-11-30T00:00:00.000Z', 'day')).toBe('2026-11-30');
    expect(bucketLabel('2026-11-30T00:00:00.000Z', 'week')).toBe('week of 2026-11-30');
    expect(bucketLabel('2026-11-01T00:00:00.000Z', 'month')).toBe('2026-11');
  });

  it('counts the failure rate over finished runs only', () => {
    expect(failureRate({ successful: 8, failed: 2, aborted: 0 })).toBe(20);
    expect(failureRate({ successful: 2, failed: 1, aborted: 1 })).toBe(25);
    expect(failureRate({ successful: 0, failed: 0, aborted: 0 })).toBeNull();
  });

  it('summarises each chart for its aria-label', () => {
    expect(runsSummary(BUCKETS, 'day')).toBe(
      'Runs per day by status, 2026-11-28 to 2026-11-29: 15 runs in 2 days with runs, 10 successful, 3 failed, 1 aborted, 1 running.',
    );
    expect(durationSummary(BUCKETS, 'day')).toBe('Duration p50 and p95, 2026-11-28 to 2026-11-29: latest p50 850 ms, p95 1 s; highest p95 3 m 20 s on 2026-11-28.');
    expect(failureSummary(BUCKETS, 'day')).toBe('Failure rate, 2026-11-28 to 2026-11-29: 21.4% of finished runs failed overall; highest 25% on 2026-11-29.');
    expect(runsSummary([], 'week')).toBe('Runs per week by status: no runs.');
  });
});
