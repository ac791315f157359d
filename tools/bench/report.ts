import { cpus, platform, release, totalmem } from 'node:os';

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu.length} CPUs (${cpu[0]?.model.trim() ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ${platform()} ${release()}`;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** The headline figures of issue 15; null where the phase that measures it failed. */
export interface Figures {
  ingest_batched_eps: number | null;
  baseline_pg_insert_rps: number | null;
  baseline_pg_copy_rps: number | null;
  ingest_single_rps: number | null;
  ingest_single_p99_ms: number | null;
  baseline_minimal_gateway_rps: number | null;
  /** The minimal gateway's p99 open loop at 80% of its own rate: context for the target on ingest_single_p99_ms. */
  baseline_minimal_gateway_p99_ms: number | null;
  /** CPU µs per event of the batched phase, per process group and in all (the cost behind ingest_batched_eps). */
  batched_cpu_us_per_event: Record<string, number>;
  /** Share of the machine's cores busy during the batched phase, 0..1. */
  batched_machine_busy: number | null;
  /** Postgres CPU µs per row of the INSERT baseline. */
  baseline_insert_cpu_us_per_row: number | null;
  e2e_lag_p50_ms: number | null;
  e2e_lag_p99_ms: number | null;
  query_p50_ms: Record<string, number>;
  query_p99_ms: Record<string, number>;
  deep_page_ms: number | null;
  baseline_offset_deep_page_ms: number | null;
  export_rows_per_s: number | null;
  export_peak_rss_mb: number | null;
  /** At the end of the load (after the export). */
  rss_mb: Record<string, number>;
  /** Highest RSS sampled every 250 ms over all load phases. */
  peak_rss_mb: Record<string, number>;
}

export interface TargetResult {
  /** What is compared, e.g. `ingest_batched_eps / baseline_pg_insert_rps`. */
  figure: string;
  value: number | null;
  target: string;
  /** null when the figure is missing (its phase failed). */
  pass: boolean | null;
}

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);
const check = (figure: string, value: number | null, op: '>=' | '<', limit: number): TargetResult => ({
  figure,
  value,
  target: `${op} ${limit.toLocaleString('en-US')}`,
  pass: value === null || Number.isNaN(value) ? null : op === '>=' ? value >= limit : value < limit,
});

/** Issue 15's targets, each a ratio within this run or a bound. */
export function evaluateTargets(f: Figures): Record<string, TargetResult> {
  const t: Record<string, TargetResult> = {
    batched_vs_insert: check('ingest_batched_eps / baseline_pg_insert_rps', ratio(f.ingest_batched_eps, f.baseline_pg_insert_rps), '>=', 0.9),
    single_vs_minimal_gateway: check('ingest_single_rps / baseline_minimal_gateway_rps', ratio(f.ingest_single_rps, f.baseline_minimal_gateway_rps), '>=', 0.7),
    single_p99: check('ingest_single_p99_ms', f.ingest_single_p99_ms, '<', 25),
    e2e_lag_p99: check('e2e_lag_p99_ms', f.e2e_lag_p99_ms, '<', 500),
  };
  for (const [name, p99] of Object.entries(f.query_p99_ms)) t[`query_p99:${name}`] = check(`query_p99_ms.${name}`, p99, '<', 50);
  t.deep_page_vs_offset = check('baseline_offset_deep_page_ms / deep_page_ms', ratio(f.baseline_offset_deep_page_ms, f.deep_page_ms), '>=', 10);
  t.export_rate = check('export_rows_per_s', f.export_rows_per_s, '>=', 100_000);
  t.export_rss = check('export_peak_rss_mb', f.export_peak_rss_mb, '<', 256);
  for (const [service, mb] of Object.entries(f.peak_rss_mb)) t[`rss:${service}`] = check(`peak_rss_mb.${service}`, mb, '<', 300);
  return t;
}

function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || Number.isNaN(n)) return 'n/a';
  return Math.abs(n) >= 1000 ? Math.round(n).toLocaleString('en-US') : n.toFixed(digits);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), '-'.repeat(widths.reduce((s, w) => s + w + 2, -2)), ...rows.map(line)];
}

/** The figures, then each target with pass/fail: the text printed at the end of a run. */
export function formatReport(f: Figures, targets: Record<string, TargetResult>, header: string[]): string {
  const figures: [string, number | null][] = [
    ['ingest_batched_eps', f.ingest_batched_eps],
    ['baseline_pg_insert_rps', f.baseline_pg_insert_rps],
    ['baseline_pg_copy_rps', f.baseline_pg_copy_rps],
    ['ingest_single_rps', f.ingest_single_rps],
    ['ingest_single_p99_ms', f.ingest_single_p99_ms],
    ['baseline_minimal_gateway_rps', f.baseline_minimal_gateway_rps],
    ['baseline_minimal_gateway_p99_ms', f.baseline_minimal_gateway_p99_ms],
    ['e2e_lag_p50_ms', f.e2e_lag_p50_ms],
    ['e2e_lag_p99_ms', f.e2e_lag_p99_ms],
    ['deep_page_ms', f.deep_page_ms],
    ['baseline_offset_deep_page_ms', f.baseline_offset_deep_page_ms],
    ['export_rows_per_s', f.export_rows_per_s],
    ['export_peak_rss_mb', f.export_peak_rss_mb],
    ...Object.entries(f.rss_mb).map(([s, mb]): [string, number] => [`rss_mb.${s} (end of load)`, mb]),
    ...Object.entries(f.peak_rss_mb).map(([s, mb]): [string, number] => [`peak_rss_mb.${s}`, mb]),
  ];
  const cpu = Object.entries(f.batched_cpu_us_per_event).map(([group, us]) => [group, fmt(us)]);
  const total = f.batched_cpu_us_per_event.total;
  const ceiling = total ? (cpus().length * 1e6) / total : null;
  const cpuLines =
    cpu.length === 0
      ? []
      : [
          '',
          ...table(['batched phase, CPU per event', 'µs'], cpu),
          `machine busy ${fmt((f.batched_machine_busy ?? NaN) * 100, 0)}% of its cores; INSERT baseline: Postgres ${fmt(f.baseline_insert_cpu_us_per_row)} µs per row`,
          `at this CPU per event, ${cpus().length} cores fully busy allow at most ${fmt(ceiling)} events/s, ${fmt(ratio(ceiling, f.baseline_pg_insert_rps), 2)} of the INSERT baseline`,
        ];
  const queries = Object.keys(f.query_p50_ms).map((name) => [name, fmt(f.query_p50_ms[name]), fmt(f.query_p99_ms[name])]);
  const verdict = (p: boolean | null) => (p === null ? 'n/a' : p ? 'pass' : 'FAIL');
  const targetRows = Object.values(targets).map((t) => [t.figure, fmt(t.value, 2), t.target, verdict(t.pass)]);
  const passed = Object.values(targets).filter((t) => t.pass === true).length;
  return [
    '',
    'Runtrail benchmark (npm run bench)',
    ...header,
    '',
    ...table(['figure', 'value'], figures.map(([n, v]) => [n, fmt(v)])),
    ...cpuLines,
    '',
    ...table(['query', 'p50 ms', 'p99 ms'], queries),
    '',
    ...table(['target', 'value', 'target', 'result'], targetRows),
    '',
    `targets met: ${passed} of ${Object.keys(targets).length}`,
    '',
  ].join('\n');
}
