import type { RunningCommand } from '../runner/command-executor';

/** Where SIGINT and SIGTERM come from: the process, or an EventEmitter in specs. */
export type SignalSource = Pick<NodeJS.Process, 'on' | 'off'>;

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * SIGINT and SIGTERM while the command runs are the command's: they are passed on, and
 * the run counts as aborted. Once it has ended, runtrail is only finishing up: a signal
 * then stops the waiting for the API (`hurry`), and what is pending goes to the spool.
 */
export class ForwardedSignals {
  /** A signal was passed on to the command before it ended. */
  interrupted = false;
  private ended = false;
  private readonly hurried = new AbortController();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    if (!this.ended) {
      this.interrupted = true;
      this.running.kill(signal);
    } else {
      this.hurried.abort();
    }
  };

  constructor(
    private readonly running: RunningCommand,
    private readonly source: SignalSource,
  ) {
    for (const s of FORWARDED) source.on(s, this.onSignal);
  }

  get hurry(): AbortSignal {
    return this.hurried.signal;
  }

  commandEnded(): void {
    this.ended = true;
  }

  dispose(): void {
    for (const s of FORWARDED) this.source.off(s, this.onSignal);
  }
}
