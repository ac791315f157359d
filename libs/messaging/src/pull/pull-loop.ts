import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { BACKOFF, Backoff, sleep, type BackoffPolicy } from '@runtrail/platform/retry';
import type { NatsClient } from '../nats-client';
import type { BatchHandler, ConsumedMessage, Settlement } from './consumed-message';

export interface PullLoopOptions {
  stream: string;
  durable: string;
  /** The most messages one handler call gets. */
  batchSize: number;
  /** How long one fetch waits for messages before returning what it has. */
  fetchExpiresMs: number;
  /** How often messages in hand are reported in progress; below the consumer's ack wait. */
  workingEveryMs: number;
  /**
   * What a stop does to the fetch in flight. `finish` (the default): it runs to its end
   * (at most `fetchExpiresMs`) and what it brings is handled and settled as usual, so
   * nothing is left half-delivered. `interrupt`: a fetch still waiting for its first
   * message is closed, and a message that arrives anyway is given back unhandled; a
   * message the server was sending at that moment is redelivered only after the ack
   * wait. Worth it where fetches wait long and a prompt stop matters (the runner agent).
   */
  onStop?: 'finish' | 'interrupt';
  /** Waits between failed fetches; a service's dependency policy unless told otherwise. */
  backoff?: BackoffPolicy;
  /**
   * Waits between attempts of a failing handler; the dependency policy unless told otherwise.
   * A handler's error with a `retryAfterMs` (a receiver's `Retry-After`) sets the next wait.
   */
  handlerBackoff?: BackoffPolicy;
  /**
   * Makes the durable consumer again where it is missing. The loop runs it after every failed
   * fetch, before asking again: a consumer deleted under the loop (with its stream, say) is
   * back as soon as its stream is. Absent, the loop waits for someone else to make it.
   */
  ensureConsumer?: () => Promise<void>;
}

/** What the loop tells its owner, to log and count. */
export interface PullLoopEvents {
  /** A fetch failed; the loop waits `delayMs`, then asks again. */
  fetchFailed?(error: unknown, failures: number, delayMs: number): void;
  /** Fetching works again after failures. */
  resumed?(): void;
  /** The handler failed; the same batch is handed over again after `delayMs`. */
  handlerFailed?(error: unknown, attempt: number, delayMs: number, batch: ConsumedMessage[]): void;
}

/** The wait a handler's error asks for, if it carries one. */
function retryAfterOf(error: unknown): number | undefined {
  const value = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof value === 'number' ? value : undefined;
}

function settle(batch: JsMsg[], settlement: Settlement): void {
  for (const m of batch) {
    if (settlement === 'ack') m.ack();
    // Without a reason: nats-server before 2.10 takes `+TERM <reason>` for no ack at all.
    else if (settlement === 'term') m.term();
    else m.nak(settlement.nakDelayMs);
  }
}

/**
 * The one JetStream pull loop: reads a durable consumer batch by batch, one batch in
 * flight, and settles a batch only after its handler returned (ack by default). While
 * the handler fails, it fetches nothing more and hands the same batch over again with
 * backoff, keeping the messages' ack deadline alive, so a database outage burns no
 * redeliveries and order is kept. A NATS error restarts the fetching with backoff (and
 * makes the consumer again, where the owner says how). Stop
 * lets the batch in hand finish (a batch its handler keeps failing is given back) and
 * fetches nothing new.
 */
export class PullLoop {
  private readonly stopping = new AbortController();
  private loop?: Promise<void>;
  /** Closes the fetch in flight while it has delivered nothing yet. */
  private interruptFetch?: () => void;

  constructor(
    private readonly client: NatsClient,
    private readonly options: PullLoopOptions,
    private readonly handler: BatchHandler,
    private readonly events: PullLoopEvents = {},
  ) {}

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private get interrupts(): boolean {
    return this.options.onStop === 'interrupt';
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.interrupts) this.interruptFetch?.();
    await this.loop;
    // Acks are fire-and-forget; see them out before the connection closes.
    await this.client.nc.flush().catch(() => undefined);
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.options.backoff ?? BACKOFF.dependency);
    while (!this.stopped) {
      try {
        if (backoff.attempts > 0) await this.options.ensureConsumer?.();
        const consumer = await this.client.js.consumers.get(this.options.stream, this.options.durable);
        // A fetch returns when it has all it asked for or when it expires. Asking for what
        // the last message said is waiting (at least one, at most a batch) makes it return
        // at once on a backlog, and wait only when the stream is idle.
        let want = 1;
        while (!this.stopped) {
          const batch = await this.fetch(consumer, want);
          if (backoff.attempts > 0) this.events.resumed?.();
          backoff.reset();
          if (batch.length === 0) {
            want = 1;
            continue;
          }
          // Taken off the wire while stopping a loop that interrupts: give it straight back.
          if (this.stopped && this.interrupts) settle(batch, { nakDelayMs: 0 });
          else await this.handle(batch);
          want = Math.min(Math.max(batch[batch.length - 1].info.pending, 1), this.options.batchSize);
        }
      } catch (error) {
        if (this.stopped) break;
        const delay = backoff.next();
        this.events.fetchFailed?.(error, backoff.attempts, delay);
        await sleep(delay, this.stopping.signal);
      }
    }
  }

  private async fetch(consumer: Consumer, want: number): Promise<JsMsg[]> {
    const { fetchExpiresMs } = this.options;
    const messages = await consumer.fetch({ max_messages: want, expires: fetchExpiresMs });
    const batch: JsMsg[] = [];
    const close = () => void messages.close().catch(() => undefined);
    this.interruptFetch = () => batch.length === 0 && close();
    if (this.stopped && this.interrupts) close();
    // A pull request can be lost when the server restarts; nothing then ends the
    // iterator. The watchdog gives it up so the loop asks again.
    const watchdog = setTimeout(close, fetchExpiresMs + 5000);
    try {
      for await (const m of messages) batch.push(m);
    } catch (error) {
      // Give back what this broken fetch delivered, so it returns now rather than after
      // the ack wait (handlers cope with messages arriving late).
      settle(batch, { nakDelayMs: 0 });
      throw error;
    } finally {
      clearTimeout(watchdog);
      this.interruptFetch = undefined;
    }
    return batch;
  }

  /** Hands the batch over until the handler returns, then settles it as the handler said. */
  private async handle(batch: JsMsg[]): Promise<void> {
    const view: ConsumedMessage[] = batch.map((m) => ({ seq: m.seq, subject: m.subject, data: m.data, deliveries: m.info.deliveryCount }));
    const backoff = new Backoff(this.options.handlerBackoff ?? BACKOFF.dependency);
    // The batch stays ours while the handler works and while it waits to try again.
    const working = setInterval(() => batch.forEach((m) => m.working()), this.options.workingEveryMs);
    try {
      for (;;) {
        try {
          settle(batch, (await this.handler(view)) ?? 'ack');
          return;
        } catch (error) {
          const delay = backoff.next({ retryAfterMs: retryAfterOf(error) });
          this.events.handlerFailed?.(error, backoff.attempts, delay, view);
          await sleep(delay, this.stopping.signal);
          if (this.stopped) {
            // Stopping with the batch unhandled: give it back for immediate redelivery.
            settle(batch, { nakDelayMs: 0 });
            return;
          }
        }
      }
    } finally {
      clearInterval(working);
    }
  }
}
