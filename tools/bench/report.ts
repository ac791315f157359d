import { cpus, platform, release } from 'node:os';
import type { BaselineResult } from './baseline-run';
import type { BenchConfig } from './bench-config';
import type { EndToEndResult } from './end-to-end-run';
import type { EventSizes } from './event-generator';

/** Targets of a later issue, printed for context only: the benchmark never fails on them. */
export const TARGETS = { ratio: 0.6, endToEndPerSecond: 20_000 };

export interface BenchReport {
  config: BenchConfig;
  sizes: EventSizes;
  endToEnd: EndToEndResult;
  baseline: BaselineResult;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits: number): string => n.toFixed(digits);

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), node ${process.version}, ${platform()} ${release()}`;
}

/** The whole result as a plain-text table, one figure per line, easy to paste into an issue. */
export function formatReport(r: BenchReport): string {
  const { config, sizes, endToEnd: e2e, baseline } = r;
  const e2eRate = e2e.events / e2e.endToEndSeconds;
  const baseRate = baseline.events / baseline.seconds;
  const ratio = e2eRate / baseRate;

  const rows: [string, number, number][] = [
    ['baseline: INSERT ... unnest, one connection', baseline.events, baseline.seconds],
    ['end to end: first request -> all rows visible', e2e.events, e2e.endToEndSeconds],
    ['ingest only: first request -> last 202', e2e.events, e2e.ingestSeconds],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const header = `${'scenario'.padEnd(width)}  ${'events'.padStart(8)}  ${'seconds'.padStart(8)}  ${'events/s'.padStart(9)}`;
  const table = rows.map(
    ([name, events, seconds]) =>
      `${name.padEnd(width)}  ${String(events).padStart(8)}  ${fixed(seconds, 2).padStart(8)}  ${int(events / seconds).padStart(9)}`,
  );
  const met = (ok: boolean): string => (ok ? 'met' : 'not met');

  return [
    '',
    'Runtrail ingest benchmark',
    `machine:  ${machineLine()}`,
    `workload: ${config.events} audit events of ${fixed(sizes.avg, 0)} bytes of JSON (min ${sizes.min}, max ${sizes.max}), ` +
      `${config.batch} per request, ${config.concurrency} requests in flight (${e2e.requests} requests)`,
    '',
    header,
    '-'.repeat(header.length),
    ...table,
    '',
    `ratio end_to_end / baseline: ${fixed(ratio, 2)}x`,
    `request latency (send -> 202): p50 ${fixed(percentile(e2e.latenciesMs, 50), 1)} ms, ` +
      `p99 ${fixed(percentile(e2e.latenciesMs, 99), 1)} ms, max ${fixed(Math.max(...e2e.latenciesMs), 1)} ms`,
    '',
    'target (later issue), informational, not enforced:',
    `  end to end >= ${TARGETS.ratio}x baseline:   ${fixed(ratio, 2)}x  (${met(ratio >= TARGETS.ratio)})`,
    `  end to end >= ${int(TARGETS.endToEndPerSecond)} events/s: ${int(e2eRate)}/s  (${met(e2eRate >= TARGETS.endToEndPerSecond)})`,
    '',
  ].join('\n');
}
