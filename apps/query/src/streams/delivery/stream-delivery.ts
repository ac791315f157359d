import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { NatsClient } from '@runtrail/messaging';
import { TenantReader } from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import { QueryConfig } from '../../shared/config/query.config';
import { IntervalTicker } from '../../shared/ticking/interval-ticker';
import { prepareStreamConsumer } from '../stream-consumer';
import { StreamStatus } from '../stream-status';
import { StreamStore, type StreamDefinition } from '../stream-store';
import { targetFor } from '../targets/target-for';
import { DeliveryLease } from './delivery-lease';
import { ProjectionWatch } from './projection-watch';
import { StreamMetrics } from './stream-metrics';
import { StreamWorker } from './stream-worker';

/** How often the deliverer looks at the streams (new, paused, resumed, deleted) and every replica tries for the lease. */
const TICK_MS = 1000;

/**
 * Runs the streams' delivery on the one replica that holds the delivery lease: a worker per
 * active stream, started, stopped and replaced as the stored definitions change. A replica
 * that loses the lease (its Postgres connection ended) stops its workers; their batches in
 * hand are given back and the new deliverer starts right after what was acknowledged.
 */
@Injectable()
export class StreamDelivery implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('streams');
  private readonly workers = new Map<string, StreamWorker>();
  /** Every stream as the last round saw it, paused ones too; none on a replica that does not deliver. */
  private known: StreamDefinition[] = [];
  private readonly lease: DeliveryLease;
  private readonly ticker = new IntervalTicker(() => this.round(), () => TICK_MS);

  constructor(
    private readonly client: NatsClient,
    private readonly reader: TenantReader,
    private readonly store: StreamStore,
    private readonly status: StreamStatus,
    private readonly projection: ProjectionWatch,
    private readonly metrics: StreamMetrics,
    private readonly clock: Clock,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {
    this.lease = new DeliveryLease(config.DATABASE_URL, `runtrail-streams:${config.RUNTRAIL_NAMESPACE}`);
  }

  onApplicationBootstrap(): void {
    this.metrics.countLagWith(() =>
      Promise.all(this.known.map(async (stream) => ({ labels: { stream: stream.id, tenant: stream.tenantId }, entries: await this.status.lag(stream) }))),
    );
    this.ticker.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.ticker.stop();
    await this.stopAll();
    await this.lease.release();
  }

  private async round(): Promise<void> {
    try {
      if (!(await this.lease.hold())) {
        if (this.workers.size) {
          this.log.warn({ streams: this.workers.size }, 'stream delivery lease lost; stopping deliveries');
          await this.stopAll();
        }
        return;
      }
      await this.reconcile(await this.store.list());
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'stream delivery round failed');
    }
  }

  private async reconcile(streams: StreamDefinition[]): Promise<void> {
    this.known = streams;
    const active = new Map(streams.filter((s) => !s.paused).map((s) => [s.id, s]));
    for (const [id, worker] of this.workers) {
      if (active.has(id)) continue;
      this.workers.delete(id);
      await worker.stop();
      if (!streams.some((s) => s.id === id)) {
        // Deleted: its last progress write may have come after the removal.
        await this.store.remove(id);
        this.metrics.forget({ stream: id, tenant: worker.stream.tenantId });
      }
    }
    for (const stream of active.values()) {
      if (this.workers.has(stream.id)) continue;
      // One stream that cannot start (NATS busy, a consumer refused) must not keep the others from theirs.
      await this.startWorker(stream).catch((err: unknown) => this.log.warn({ streamId: stream.id, err: (err as Error).message }, 'stream delivery not started; trying again'));
    }
  }

  private async startWorker(stream: StreamDefinition): Promise<void> {
    const ns = this.config.RUNTRAIL_NAMESPACE;
    await prepareStreamConsumer(this.client, ns, stream);
    const target = targetFor(stream.kind, stream.url, await this.store.secret(stream.id), this.config.STREAM_TIMEOUT_SECONDS * 1000);
    const deps = {
      client: this.client,
      reader: this.reader,
      store: this.store,
      projection: this.projection,
      metrics: this.metrics,
      log: this.log,
      namespace: ns,
      maxBackoffMs: this.config.STREAM_MAX_BACKOFF_SECONDS * 1000,
      now: () => this.clock.now(),
    };
    const worker = new StreamWorker(deps, stream, target, await this.store.progress(stream.id));
    this.workers.set(stream.id, worker);
    worker.start();
  }

  private async stopAll(): Promise<void> {
    this.known = [];
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((w) => w.stop()));
  }
}
