/** 1 s, 2 s, 4 s, ... up to `capMs`: how long the agent waits before it asks again. */
export function backoffMs(failures: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
}

export interface RetryWaitDeps {
  log: (line: string) => void;
  /** Aborted when the agent is asked to stop: the wait ends early. */
  stopping: AbortSignal;
}

/**
 * Says what failed and waits the backoff for the `failures`-th failure in a row. A stop
 * cuts the wait short, so a signal never waits out a 30 s backoff.
 */
export async function waitToRetry(failures: number, problem: string, { log, stopping }: RetryWaitDeps): Promise<void> {
  const wait = backoffMs(failures);
  log(`${problem}; retrying in ${Math.round(wait / 1000)} s`);
  if (stopping.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stopping.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, wait);
    stopping.addEventListener('abort', done);
  });
}
