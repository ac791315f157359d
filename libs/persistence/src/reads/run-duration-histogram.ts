/**
 * The log-scale duration histograms of `action_run_stats` (docs/adr/0024). Bin 0 holds
 * durations of 0 ms; bin k+1 holds (gamma^(k-1), gamma^k] ms. Its value is read back as
 * 2·gamma^k/(gamma+1), within ALPHA of every duration in the bin, relatively:
 * gamma = (1+ALPHA)/(1-ALPHA). The migration (1764700000000-run-aggregates) bins with the
 * same gamma, 51/49.
 */
export const DURATION_ALPHA = 0.02;
const GAMMA = (1 + DURATION_ALPHA) / (1 - DURATION_ALPHA);

/** The bin a duration falls in, as public.runtrail_duration_bin computes it. */
export function durationBin(ms: number): number {
  return ms <= 0 ? 0 : Math.ceil(Math.log(ms) / Math.log(GAMMA)) + 1;
}

/** The duration a bin stands for. */
export function binValue(bin: number): number {
  return bin <= 0 ? 0 : (2 * GAMMA ** (bin - 1)) / (GAMMA + 1);
}

/**
 * Counts per bin, indexed by bin (a holey array: V8 keeps small integer keys as elements,
 * several times faster than a Map here, and iterating by index is already in bin order).
 */
export type DurationHistogram = number[];

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
    if (n !== 0) into[lower + i] = (into[lower + i] ?? 0) + n;
  }
}

/**
 * percentile_cont(q) over the histogram's `n` durations: the values at ranks floor and
 * ceil of q·(n-1), interpolated; each within ALPHA of the exact one, so the result is too.
 */
export function histogramPercentile(h: DurationHistogram, q: number): number | null {
  let n = 0;
  for (let bin = 0; bin < h.length; bin++) n += h[bin] ?? 0;
  if (n === 0) return null;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  let vlo: number | undefined;
  let seen = 0;
  for (let bin = 0; bin < h.length; bin++) {
    const count = h[bin] ?? 0;
    if (count <= 0) continue;
    seen += count;
    if (vlo === undefined && lo < seen) vlo = binValue(bin);
    if (hi < seen) {
      const vhi = binValue(bin);
      return (vlo as number) + (pos - lo) * (vhi - (vlo as number));
    }
  }
  return null;
}
