/**
 * The log-scale duration histograms of `action_run_stats` (docs/adr/0018). Bin 0 holds
 * durations of 0 ms; bin k+1 holds (gamma^(k-1), gamma^k] ms. Its value is read back as
 * 2·gamma^k/(gamma+1), within ALPHA of every duration in the bin, relatively:
 * gamma = (1+ALPHA)/(1-ALPHA). The migration (1764700000000-run-aggregates) bins with the
 * same gamma, 101/99.
 */
export const DURATION_ALPHA = 0.01;
const GAMMA = (1 + DURATION_ALPHA) / (1 - DURATION_ALPHA);

/** The bin a duration falls in, as public.runtrail_duration_bin computes it. */
export function durationBin(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(Math.log(ms) / Math.log(GAMMA)) + 1;
}

/** The duration a bin stands for. */
export function binValue(bin: number): number {
  return bin <= 0 ? 0 : (2 * GAMMA ** (bin - 1)) / (GAMMA + 1);
}

/** Counts per bin. */
export type DurationHistogram = Map<number, number>;

/**
 * Adds a histogram read as `array_send(h)`: Postgres' binary array (dimensions, flags,
 * element type, then length and lower bound per dimension, then each element as its byte
 * length, -1 for null, and its value). Several times cheaper to read than the text form.
 */
export function addHistogramBytes(into: DurationHistogram, bytes: Buffer | null): void {
  if (bytes === null || bytes.length < 20 || bytes.readInt32BE(0) !== 1) return;
  const size = bytes.readInt32BE(12);
  const lower = bytes.readInt32BE(16);
  let at = 20;
  for (let i = 0; i < size; i++) {
    const length = bytes.readInt32BE(at);
    at += 4;
    if (length < 0) continue;
    const n = bytes.readInt32BE(at);
    at += length;
    if (n !== 0) into.set(lower + i, (into.get(lower + i) ?? 0) + n);
  }
}

/**
 * percentile_cont(q) over the histogram's `n` durations: the values at ranks floor and
 * ceil of q·(n-1), interpolated; each within ALPHA of the exact one, so the result is too.
 */
export function histogramPercentile(h: DurationHistogram, q: number): number | null {
  const bins = [...h.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = bins.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const at = (rank: number): number => {
    let seen = 0;
    for (const [bin, count] of bins) {
      seen += count;
      if (rank < seen) return binValue(bin);
    }
    return binValue(bins[bins.length - 1][0]);
  };
  const vlo = at(lo);
  return vlo + (pos - lo) * (at(hi) - vlo);
}
