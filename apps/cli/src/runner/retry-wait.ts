import { BACKOFF, backoffDelayMs, sleep } from '@runtrail/platform/retry';

export interface RetryWaitDeps {
  log: (line: string) => void;
  /** Aborted when the agent is asked to stop: the wait ends early. */
  stopping: AbortSignal;
}

/**
 * Says what failed and waits the agent's backoff for the `failures`-th failure in a row
 * (1 s, 2 s, 4 s … 30 s). A stop cuts the wait short, so a signal never waits out 30 s.
 */
export async function waitToRetry(failures: number, problem: string, { log, stopping }: RetryWaitDeps): Promise<void> {
  const wait = backoffDelayMs(BACKOFF.agent, failures);
  log(`${problem}; retrying in ${Math.round(wait / 1000)} s`);
  await sleep(wait, stopping);
}
