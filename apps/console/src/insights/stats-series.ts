import type { RunStatsBucket } from '../api/types';
import { formatDuration } from '../common/format';

export type Interval = 'hour' | 'day' | 'week' | 'month';
export const INTERVALS: readonly Interval[] = ['hour', 'day', 'week', 'month'];

/** A bucket's label: its UTC start, as precise as the interval. */
export function bucketLabel(bucketStart: string, interval: Interval): string {
  const iso = new Date(bucketStart).toISOString();
  switch (interval) {
    case 'hour':
      return `${iso.slice(0, 10)} ${iso.slice(11, 13)}:00`;
    case 'day':
      return iso.slice(0, 10);
    case 'week':
      return `week of ${iso.slice(0, 10)}`;
    case 'month':
      return iso.slice(0, 7);
  }
}

/** Failed runs among the finished ones (successful, failed, aborted), in percent; null when none finished. */
export function failureRate(b: Pick<RunStatsBucket, 'successful' | 'failed' | 'aborted'>): number | null {
  const finished = b.successful + b.failed + b.aborted;
  return finished === 0 ? null : Math.round((b.failed / finished) * 1000) / 10;
}

export const per = (interval: Interval) => (interval === 'day' ? 'day' : interval);

export interface Totals {
  total: number;
  successful: number;
  failed: number;
  aborted: number;
  running: number;
}

export function totals(buckets: readonly RunStatsBucket[]): Totals {
  return buckets.reduce(
    (t, b) => ({
      total: t.total + b.total,
      successful: t.successful + b.successful,
      failed: t.failed + b.failed,
      aborted: t.aborted + b.aborted,
      running: t.running + b.running,
    }),
    { total: 0, successful: 0, failed: 0, aborted: 0, running: 0 },
  );
}

const span = (buckets: readonly RunStatsBucket[], interval: Interval) => {
  const first = buckets[0];
  const last = buckets.at(-1);
  if (!first || !last) return '';
  const a = bucketLabel(first.bucketStart, interval);
  const b = bucketLabel(last.bucketStart, interval);
  return a === b ? a : `${a} to ${b}`;
};

/** The text alternatives of the three charts (their canvases' aria-label). */
export function runsSummary(buckets: readonly RunStatsBucket[], interval: Interval): string {
  if (buckets.length === 0) return `Runs per ${per(interval)} by status: no runs.`;
  const t = totals(buckets);
  return (
    `Runs per ${per(interval)} by status, ${span(buckets, interval)}: ${t.total} runs in ${buckets.length} ${buckets.length === 1 ? interval : `${interval}s`} with runs, ` +
    `${t.successful} successful, ${t.failed} failed, ${t.aborted} aborted, ${t.running} running.`
  );
}

export function durationSummary(buckets: readonly RunStatsBucket[], interval: Interval): string {
  const withDurations = buckets.filter((b) => b.p50DurationMs !== null);
  if (withDurations.length === 0) return 'Duration p50 and p95: no finished runs.';
  const p95s = withDurations.map((b) => b.p95DurationMs ?? 0);
  const worst = withDurations[p95s.indexOf(Math.max(...p95s))];
  const lastBucket = withDurations.at(-1);
  return (
    `Duration p50 and p95, ${span(withDurations, interval)}: latest p50 ${formatDuration(lastBucket?.p50DurationMs)}, p95 ${formatDuration(lastBucket?.p95DurationMs)}; ` +
    `highest p95 ${formatDuration(worst?.p95DurationMs)} on ${worst ? bucketLabel(worst.bucketStart, interval) : ''}.`
  );
}

export function failureSummary(buckets: readonly RunStatsBucket[], interval: Interval): string {
  const t = totals(buckets);
  const overall = failureRate(t);
  if (overall === null) return 'Failure rate: no finished runs.';
  const rates = buckets.map((b) => ({ b, rate: failureRate(b) })).filter((r): r is { b: RunStatsBucket; rate: number } => r.rate !== null);
  const worst = rates.reduce((w, r) => (r.rate > w.rate ? r : w), rates[0] ?? { b: buckets[0] as RunStatsBucket, rate: 0 });
  return `Failure rate, ${span(buckets, interval)}: ${overall}% of finished runs failed overall; highest ${worst.rate}% on ${bucketLabel(worst.b.bucketStart, interval)}.`;
}
