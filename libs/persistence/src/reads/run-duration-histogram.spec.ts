import fc from 'fast-check';
import { DURATION_ALPHA, DurationHistogram, binValue, durationBin } from './run-duration-histogram';

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

  it('gives percentile_cont within ALPHA, several at once in one walk, and null without durations', () => {
    const QS = [0, 0.05, 0.5, 0.95, 0.99, 1];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50_000_000 }), { minLength: 1, maxLength: 300 }), fc.shuffledSubarray(QS, { minLength: 1 }), (values, qs) => {
        const h = new DurationHistogram();
        for (const v of values) h.add(durationBin(v), 1);
        const got = h.percentiles(qs);
        qs.forEach((q, i) => {
          const want = exactPercentile(values, q);
          expect(Math.abs((got[i] as number) - want)).toBeLessThanOrEqual(DURATION_ALPHA * want * (1 + 1e-9));
        });
      }),
      { numRuns: 500 },
    );
    expect(new DurationHistogram().percentiles([0.5, 0.95])).toEqual([null, null]);
  });
});
