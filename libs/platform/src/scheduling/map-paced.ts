import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';

/** How long a paced loop runs before it lets the event loop answer sockets. */
export const PACE_SLICE_MS = 2;

/**
 * `items.map(fn)` that gives the event loop a turn whenever it has run for `sliceMs`. For CPU
 * work done beside I/O of the same process: the projector prepares the next transaction's
 * rows while the current one's statements run, and a 100 ms synchronous map would hold each
 * of that transaction's replies (and so Postgres) for up to 100 ms. Results are in order.
 */
export async function mapPaced<T, R>(items: readonly T[], fn: (item: T, index: number) => R, sliceMs = PACE_SLICE_MS): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let sliceStart = performance.now();
  for (let i = 0; i < items.length; i++) {
    out[i] = fn(items[i], i);
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
  }
  return out;
}
