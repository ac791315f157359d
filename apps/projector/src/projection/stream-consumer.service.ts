import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { eventStreamName, eventSubjectFilter } from '@runtrail/contracts';
import { BatchConsumer, NatsClient } from '@runtrail/messaging';
import { Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { ProjectorConfig } from '../config/projector.config';
import { ProjectBatchUseCase } from './project-batch.usecase';

/** Thin adapter: runs the durable consumer and hands each batch to the use case. */
@Injectable()
export class StreamConsumerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly consumer: BatchConsumer;
  private lagTimer?: NodeJS.Timeout;

  constructor(
    private readonly client: NatsClient,
    private readonly project: ProjectBatchUseCase,
    @Inject(ProjectorConfig) private readonly config: ProjectorConfig,
    private readonly logger: PinoLogger,
    private readonly metrics: Metrics,
  ) {
    const ns = config.RUNTRAIL_NAMESPACE;
    const retries = metrics.counter('runtrail_projector_batch_retries_total', 'Batches retried (database unavailable)');
    this.consumer = new BatchConsumer(
      client,
      {
        stream: eventStreamName(ns),
        durable: project.consumerName,
        filterSubject: eventSubjectFilter(ns),
        batchSize: config.PROJECTOR_BATCH_SIZE,
        fetchExpiresMs: 1000,
        ackWaitMs: config.PROJECTOR_ACK_WAIT_SECONDS * 1000,
        onRetry: () => retries.inc(),
      },
      async (batch) => {
        await this.project.execute(batch);
      },
      logger.logger,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.ensureConsumer();
    this.consumer.start();
    this.watchLag();
    this.logger.info({ durable: this.project.consumerName }, 'projecting the event stream');
  }

  /** Finishes (or gives back) the batch in hand before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.lagTimer);
    await this.consumer.stop();
  }

  private watchLag(): void {
    const gauge = this.metrics.gauge('runtrail_projector_pending_messages', 'Stream messages not yet projected (lag)');
    const stream = eventStreamName(this.config.RUNTRAIL_NAMESPACE);
    this.lagTimer = setInterval(() => {
      this.client.jsm.consumers
        .info(stream, this.project.consumerName)
        .then((info) => gauge.set(info.num_pending + info.num_ack_pending))
        .catch(() => undefined);
    }, 5000);
    this.lagTimer.unref();
  }
}
