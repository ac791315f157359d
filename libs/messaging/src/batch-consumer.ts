import { AckPolicy, DeliverPolicy, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { NatsClient } from './nats-client';

export interface ConsumedMessage {
  /** The message's stream sequence: its position in the record. */
  seq: number;
  subject: string;
  data: Uint8Array;
}

/**
 * Handles one batch. Resolving means the batch's effect is committed, and the
 * messages are acknowledged. Throwing means "not now" (a dependency is down): the
 * same batch is retried, in order, until it succeeds or the consumer stops.
 * Messages that can never be handled must be dealt with inside the handler (for
 * example written to a dead-letter table), not thrown.
 */
export type BatchHandler = (batch: ConsumedMessage[]) => Promise<void>;

export interface BatchConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  batchSize: number;
  /** How long one fetch waits for messages before returning what it has. */
  fetchExpiresMs: number;
  ackWaitMs: number;
  onRetry?: (error: unknown, attempt: number) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A durable pull consumer that hands the stream to a handler batch by batch, one
 * batch in flight, acknowledging only after the handler resolved. On a handler
 * error it stops fetching and retries the same batch with backoff (keeping the
 * messages' ack deadline alive), so a database outage burns no redeliveries and
 * order is kept. The fetch loop restarts itself after NATS errors.
 */
export class BatchConsumer {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly client: NatsClient,
    private readonly options: BatchConsumerOptions,
    private readonly handler: BatchHandler,
    private readonly log: Logger,
  ) {}

  async ensureConsumer(): Promise<void> {
    const { stream, durable, filterSubject, batchSize, ackWaitMs } = this.options;
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: filterSubject,
      ack_wait: nanos(ackWaitMs),
      max_ack_pending: Math.max(batchSize * 2, 1000),
      max_deliver: -1,
    };
    const existing = await this.client.jsm.consumers.info(stream, durable).catch(() => undefined);
    if (!existing) await this.client.jsm.consumers.add(stream, config);
    else if (existing.config.ack_wait !== config.ack_wait || existing.config.max_ack_pending !== config.max_ack_pending) {
      // Settings changed since the consumer was made; its position is kept.
      await this.client.jsm.consumers.update(stream, durable, {
        ack_wait: config.ack_wait,
        max_ack_pending: config.max_ack_pending,
      });
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops fetching, lets the batch in hand finish (or gives it back), flushes acks. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client.nc.flush().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const consumer = await this.client.js.consumers.get(this.options.stream, this.options.durable);
        // A fetch returns when it has all it asked for or when it expires. Asking for
        // what the last message said is waiting (at least one, at most a batch) makes
        // it return at once on a backlog, and wait only when the stream is idle.
        let want = 1;
        while (this.running) {
          const messages = await consumer.fetch({ max_messages: want, expires: this.options.fetchExpiresMs });
          // A pull request can be lost when the server restarts; nothing then ends the
          // iterator. The watchdog gives it up so the loop asks again.
          const watchdog = setTimeout(() => void messages.close(), this.options.fetchExpiresMs + 5000);
          const batch: JsMsg[] = [];
          try {
            for await (const m of messages) batch.push(m);
          } catch (err) {
            // Give back what this broken fetch delivered, so it returns now rather
            // than after ack_wait (the handler copes with it arriving late).
            for (const m of batch) m.nak();
            throw err;
          } finally {
            clearTimeout(watchdog);
          }
          failures = 0;
          if (batch.length === 0) {
            want = 1;
            continue;
          }
          if (await this.handleUntilDone(batch)) {
            for (const m of batch) m.ack();
          } else {
            // Stopping with the batch unhandled: give it back for immediate redelivery.
            for (const m of batch) m.nak();
          }
          want = Math.min(Math.max(batch[batch.length - 1].info.pending, 1), this.options.batchSize);
        }
      } catch (err) {
        if (!this.running) break;
        failures++;
        this.log.warn({ err, failures }, 'stream fetch failed; retrying');
        await sleep(Math.min(250 * 2 ** failures, 5000));
      }
    }
  }

  /** True when the handler succeeded; false when the consumer stopped first. */
  private async handleUntilDone(batch: JsMsg[]): Promise<boolean> {
    const view: ConsumedMessage[] = batch.map((m) => ({ seq: m.seq, subject: m.subject, data: m.data }));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.handler(view);
        return true;
      } catch (err) {
        this.options.onRetry?.(err, attempt);
        this.log.warn({ err, attempt, firstSeq: view[0].seq }, 'batch not committed; retrying');
        const deadline = Date.now() + Math.min(200 * 2 ** attempt, 10_000);
        while (Date.now() < deadline) {
          if (!this.running) return false;
          for (const m of batch) m.working();
          await sleep(Math.min(1000, deadline - Date.now()));
        }
        if (!this.running) return false;
      }
    }
  }
}
