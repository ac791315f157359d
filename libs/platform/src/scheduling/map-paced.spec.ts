import { setImmediate as nextTurn } from 'node:timers/promises';
import { mapPaced } from './map-paced';

/** Busy-waits `ms`: a stand-in for CPU work the paced loop cannot interrupt. */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('mapPaced', () => {
  it('maps every item in order, with its index', async () => {
    await expect(mapPaced(['a', 'b', 'c'], (s, i) => `${s}${i}`)).resolves.toEqual(['a0', 'b1', 'c2']);
  });

  it('lets other callbacks run while it works, not only after', async () => {
    let turns = 0;
    let done = false;
    const ticker = (async () => {
      // Counts the event-loop turns it gets while the map is running.
      while (!done) {
        turns++;
        await nextTurn();
      }
    })();
    await mapPaced(
      Array.from({ length: 20 }, (_, i) => i),
      () => spin(1),
      2,
    );
    done = true;
    await ticker;
    // 20 ms of work in 2 ms slices: the ticker ran between slices, several times.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('answers an empty list', async () => {
    await expect(mapPaced([], () => 1)).resolves.toEqual([]);
  });
});
