/**
 * A round of work that every replica runs from its start, then again `intervalMs()` after
 * each round ends (never two at once). `stop` is for `beforeApplicationShutdown`: no round
 * starts after it, and it waits for the round in progress, so the connections a round
 * uses close only after it.
 */
export class IntervalTicker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    /** Must not throw: a failed round is the caller's to log, and the next one tries again. */
    private readonly round: () => Promise<void>,
    private readonly intervalMs: () => number,
  ) {}

  start(): void {
    this.next(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private next(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.round().finally(() => this.next(this.intervalMs()));
    }, delayMs);
  }
}
