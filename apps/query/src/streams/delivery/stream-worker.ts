import type { AuditRecord } from '@runtrail/contracts';
import { PullLoop, type ConsumedMessage, type NatsClient } from '@runtrail/messaging';
import { TenantReader, streamEntriesById, streamEntryPage, type AuditFilter } from '@runtrail/persistence';
import type { Logger } from '@nestjs/common';
import { ensureDurableConsumer } from '@runtrail/messaging';
import { STREAM_ACK_WAIT_MS, STREAM_BATCH_MESSAGES, streamConsumerSpec } from '../stream-consumer';
import { storedAuditFilter } from '../stream-filter';
import type { StreamDefinition, StreamProgress, StreamStore } from '../stream-store';
import type { DeliveryTarget } from '../targets/delivery-target';
import { batchSegments, type BatchSegment } from './batch-records';
import { NotProjectedYet, type ProjectionWatch } from './projection-watch';
import type { StreamMetrics } from './stream-metrics';

export interface StreamWorkerDeps {
  client: NatsClient;
  reader: TenantReader;
  store: StreamStore;
  projection: ProjectionWatch;
  metrics: StreamMetrics;
  log: Logger;
  namespace: string;
  maxBackoffMs: number;
  now: () => number;
}

/** Records read at once: a few megabytes at most, and few reads per batch (each is a transaction of its own). */
const READ_PAGE = 2000;

/** The stream was paused or deleted: the batch goes back unsent, and no failure is counted. */
class StreamStopped extends Error {
  readonly retryAfterMs = 1000;
}

/**
 * Delivers one stream: the shared pull loop over its durable consumer, one batch of the
 * tenant's messages at a time. A batch is acknowledged only after every record it holds was
 * taken by the receiver; while the receiver fails, the same batch is tried again with
 * exponential backoff up to STREAM_MAX_BACKOFF_SECONDS (or the receiver's Retry-After), and
 * nothing after it goes out: at least once, in order, nothing skipped.
 */
export class StreamWorker {
  private readonly loop: PullLoop;
  private readonly filter: AuditFilter;
  /** Records of the batch in hand the receiver already took: a retry sends the rest only. */
  private readonly sent = new WeakMap<ConsumedMessage[], number>();
  private failedBefore = false;
  private progress: StreamProgress;

  constructor(
    private readonly deps: StreamWorkerDeps,
    readonly stream: StreamDefinition,
    private readonly target: DeliveryTarget,
    progress: StreamProgress,
  ) {
    this.filter = storedAuditFilter(stream.filter);
    this.progress = progress;
    const spec = streamConsumerSpec(deps.namespace, stream);
    this.loop = new PullLoop(
      deps.client,
      {
        stream: spec.stream,
        durable: spec.durable,
        batchSize: STREAM_BATCH_MESSAGES,
        fetchExpiresMs: 5000,
        // A pause or a lost lease stops the loop at once; what the interrupted fetch held comes
        // back at the next start, which makes the consumer anew at its ack floor.
        onStop: 'interrupt',
        workingEveryMs: STREAM_ACK_WAIT_MS / 3,
        handlerBackoff: { baseMs: 500, capMs: deps.maxBackoffMs, jitter: 'none' },
        // Made again only while the stream exists: a deleted stream's consumer stays gone.
        ensureConsumer: async () => {
          if (await deps.store.get(stream.id)) await ensureDurableConsumer(deps.client, spec);
        },
      },
      (batch) => this.deliver(batch),
      {
        fetchFailed: (err, failures) => failures === 3 && deps.log.warn({ streamId: stream.id, err: (err as Error).message }, 'stream cannot read its consumer'),
        handlerFailed: (err, attempt, delayMs) =>
          !(err instanceof NotProjectedYet || err instanceof StreamStopped) && deps.log.warn({ streamId: stream.id, attempt, delayMs, err: (err as Error).message }, 'stream delivery failed; retrying'),
      },
    );
  }

  private get labels() {
    return { stream: this.stream.id, tenant: this.stream.tenantId };
  }

  start(): void {
    this.loop.start();
  }

  /** Lets the batch in hand finish (or gives it back), then lets go of the receiver. */
  async stop(): Promise<void> {
    await this.loop.stop();
    this.target.close?.();
  }

  private async deliver(batch: ConsumedMessage[]): Promise<void> {
    const { stream, deps } = this;
    // A pause or a delete answered before this batch keeps it from going out; the deliverer stops this worker within a tick.
    const current = await deps.store.get(stream.id);
    if (!current || current.paused) throw new StreamStopped();
    const segments = batchSegments(deps.namespace, batch);
    if (segments.length === 0) return;
    await deps.projection.reached(stream.tenantId, batch[batch.length - 1].seq);
    // A retry of this batch reads it again but sends only what the receiver has not taken.
    const taken = this.sent.get(batch) ?? 0;
    let passed = 0;
    for await (const page of this.pages(segments)) {
      for (let i = 0; i < page.length; i += this.target.maxRecords) {
        const chunk = page.slice(i, i + this.target.maxRecords);
        const fresh = chunk.slice(Math.max(0, taken - passed));
        passed += chunk.length;
        if (fresh.length === 0) continue;
        await this.send(fresh);
        this.sent.set(batch, passed);
      }
    }
    if (passed === 0 && this.progress.failingSince !== null) await this.record({ ...this.progress, lastError: null, failingSince: null });
  }

  /**
   * The batch's records in the tenant's order, read a page at a time: a batch of 200 messages
   * of 1,000 events each never sits in memory whole.
   */
  private async *pages(segments: BatchSegment[]): AsyncGenerator<AuditRecord[]> {
    const { stream, deps, filter } = this;
    const limit = READ_PAGE;
    for (const segment of segments) {
      if (segment.kind === 'entries') {
        for (let after: number | undefined; ; ) {
          const page = await deps.reader.read(stream.tenantId, streamEntryPage(stream.tenantId, filter, segment.firstSeq, segment.lastSeq, after, limit));
          if (page.length) yield page;
          if (page.length < limit) break;
          after = page[page.length - 1].id;
        }
      } else {
        for (let i = 0; i < segment.entryIds.length; i += limit) {
          const entries = await deps.reader.read(stream.tenantId, streamEntriesById(stream.tenantId, filter, segment.entryIds.slice(i, i + limit)));
          if (entries.length) yield entries;
        }
      }
    }
  }

  private async send(chunk: AuditRecord[]): Promise<void> {
    const at = new Date(this.deps.now()).toISOString();
    try {
      await this.target.send(chunk);
    } catch (err) {
      this.deps.metrics.failed.inc(this.labels, chunk.length);
      this.failedBefore = true;
      await this.record({ ...this.progress, lastError: (err as Error).message, failingSince: this.progress.failingSince ?? at });
      throw err;
    }
    this.deps.metrics.delivered.inc(this.labels, chunk.length);
    if (this.failedBefore) this.deps.metrics.retried.inc(this.labels, chunk.length);
    this.failedBefore = false;
    await this.record({ lastDeliveredAt: at, lastError: null, failingSince: null });
  }

  /** Keeps the progress every replica reads; a write that fails is not a delivery that failed. */
  private async record(progress: StreamProgress): Promise<void> {
    this.progress = progress;
    await this.deps.store.setProgress(this.stream.id, progress).catch((err: unknown) => this.deps.log.warn({ streamId: this.stream.id, err: (err as Error).message }, 'stream progress not saved'));
  }
}
