import { retry, sleep } from './retry';

const policy = { baseMs: 100, capMs: 1000, jitter: 'none' } as const;

/** Fails `times` times, then resolves to the attempt number. */
function flaky(times: number, error: unknown = new Error('down')) {
  const fn = jest.fn(async (n: number) => {
    if (n <= times) throw error;
    return n;
  });
  return fn;
}

describe('retry', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('retries until the attempt works, waiting as the policy says', async () => {
    const waits: number[] = [];
    const result = retry(flaky(3), { policy, onRetry: (_e, _n, ms) => waits.push(ms) });
    await jest.advanceTimersByTimeAsync(100 + 200 + 400);
    await expect(result).resolves.toBe(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('does not try again before the wait is over', async () => {
    const fn = flaky(1);
    const result = retry(fn, { policy });
    await jest.advanceTimersByTimeAsync(99);
    expect(fn).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(result).resolves.toBe(2);
  });

  it('throws the last failure when the attempts run out', async () => {
    const result = retry(flaky(5, new Error('still down')), { policy, maxAttempts: 3 });
    const settled = expect(result).rejects.toThrow('still down');
    await jest.advanceTimersByTimeAsync(1000);
    await settled;
  });

  it('throws at once what retryIf calls final', async () => {
    const fn = flaky(5, new Error('bad input'));
    await expect(retry(fn, { policy, retryIf: (e) => (e as Error).message !== 'bad input' })).rejects.toThrow('bad input');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('waits what the failure asks for (Retry-After)', async () => {
    const waits: number[] = [];
    const result = retry(flaky(1), { policy, retryAfterMs: () => 3000, onRetry: (_e, _n, ms) => waits.push(ms) });
    await jest.advanceTimersByTimeAsync(3000);
    await expect(result).resolves.toBe(2);
    expect(waits).toEqual([3000]);
  });

  it('gives up when the next wait would end past the deadline', async () => {
    const fn = flaky(5);
    // Waits 100 ms after the first failure; the 200 ms after the second would pass the deadline.
    const settled = expect(retry(fn, { policy, deadline: Date.now() + 250 })).rejects.toThrow('down');
    await jest.advanceTimersByTimeAsync(100);
    await settled;
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('gives up during a wait when its signal aborts', async () => {
    const stop = new AbortController();
    const fn = flaky(5);
    const result = retry(fn, { policy, signal: stop.signal });
    const settled = expect(result).rejects.toThrow('down');
    await jest.advanceTimersByTimeAsync(50);
    stop.abort();
    await settled;
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('sleep', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves after the time, or at once when aborted', async () => {
    let woke = false;
    const stop = new AbortController();
    const waiting = sleep(10_000, stop.signal).then(() => (woke = true));
    await jest.advanceTimersByTimeAsync(5000);
    expect(woke).toBe(false);
    stop.abort();
    await waiting;
    expect(woke).toBe(true);
    await expect(sleep(1, stop.signal)).resolves.toBeUndefined();
  });
});
