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
 * Counts per bin, merged from the histograms of several rows, and read back as
 * percentiles. A holey array indexed by bin (V8 keeps small integer keys as elements,
 * several times faster than a Map here) and the range of bins used, so that reading it
 * walks only that range, once for every percentile asked.
 */
export class DurationHistogram {
  private readonly counts: number[] = [];
  private lo = Infinity;
  private hi = -Infinity;
  /** Durations in all. */
  total = 0;

  add(bin: number, n: number): void {
    if (n === 0) return;
    this.counts[bin] = (this.counts[bin] ?? 0) + n;
    this.total += n;
    if (bin < this.lo) this.lo = bin;
    if (bin > this.hi) this.hi = bin;
  }

  /**
   * Adds a histogram read as `array_send(h)`: Postgres' binary array (dimensions, flags,
   * element type, then length and lower bound per dimension, then each element as its byte
   * length, -1 for null, and its value). Several times cheaper to read than the text form.
   */
  addBytes(bytes: Buffer | null): void {
    if (bytes === null || bytes.length < 20) return;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    if (view.getInt32(0) !== 1) return;
    const size = view.getInt32(12);
    const lower = view.getInt32(16);
    let at = 20;
    for (let i = 0; i < size; i++) {
      const length = view.getInt32(at);
      at += 4;
      if (length < 0) continue;
      this.add(lower + i, view.getInt32(at));
      at += length;
    }
  }

  /**
   * percentile_cont(q) over the durations, for each q: the values at ranks floor and ceil
   * of q·(n-1), interpolated; each within ALPHA of the exact one, so the result is too.
   * Null without durations. One walk of the bins finds every rank asked for.
   */
  percentiles(qs: readonly number[]): (number | null)[] {
    if (this.total === 0) return qs.map(() => null);
    const positions = qs.map((q) => q * (this.total - 1));
    const ranks = [...new Set(positions.flatMap((pos) => [Math.floor(pos), Math.ceil(pos)]))].sort((x, y) => x - y);
    const valueAt = new Map<number, number>();
    let seen = 0;
    let r = 0;
    for (let bin = this.lo; bin <= this.hi && r < ranks.length; bin++) {
      const count = this.counts[bin] ?? 0;
      if (count <= 0) continue;
      seen += count;
      for (; r < ranks.length && ranks[r] < seen; r++) valueAt.set(ranks[r], binValue(bin));
    }
    return positions.map((pos) => {
      const lo = valueAt.get(Math.floor(pos)) as number;
      return lo + (pos - Math.floor(pos)) * ((valueAt.get(Math.ceil(pos)) as number) - lo);
    });
  }
}
