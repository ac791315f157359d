import fc from 'fast-check';
import { DURATION_ALPHA, binValue, durationBin, histogramPercentile, type DurationHistogram } from './run-duration-histogram';

/** percentile_cont as Postgres computes it. */
function exactPercentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

describe('log-scale duration histograms', () => {
  it('reads every duration back within ALPHA of itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (ms) => {
        expect(Math.abs(binValue(durationBin(ms)) - ms)).toBeLessThanOrEqual(DURATION_ALPHA * ms * (1 + 1e-9));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives percentile_cont within ALPHA, and null without durations', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(0, 0.5, 0.95, 1), (values, q) => {
        const h: DurationHistogram = [];
        for (const v of values) h[durationBin(v)] = (h[durationBin(v)] ?? 0) + 1;
        const want = exactPercentile(values, q);
        expect(Math.abs((histogramPercentile(h, q) as number) - want)).toBeLessThanOrEqual(DURATION_ALPHA * want * (1 + 1e-9));
      }),
      { numRuns: 500 },
    );
    expect(histogramPercentile([], 0.5)).toBeNull();
  });
});
