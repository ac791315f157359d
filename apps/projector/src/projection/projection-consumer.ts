import type { Provider } from '@nestjs/common';
import { eventStreamName, partitionSubjectFilter, type StreamPartition } from '@runtrail/contracts';
import { ConsumerReadinessCheck, JetStreamServer, NatsClient, isStreamOrConsumerMissing, type PullLoopEvents } from '@runtrail/messaging';
import { Metrics, errorFields } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { ProjectorConfig } from '../config/projector.config';
import { PartitionOwnership } from '../partitions/partition-ownership';
import { PROJECTION_BATCHES, projectorConsumerName } from './projection-names';

/** How often an instance looks at how many share the partitions (ADR 0019). */
const REBALANCE_EVERY_MS = 2000;

/**
 * The stream's partitions this instance owns, each read by a durable consumer of its own,
 * in batches, to ProjectionHandler. Within a partition one batch is in flight, so each
 * tenant's facts are projected in stream order.
 */
export const partitionOwnership: Provider = {
  provide: PartitionOwnership,
  inject: [NatsClient, DataSource, ProjectorConfig, Metrics, PinoLogger],
  useFactory: (client: NatsClient, dataSource: DataSource, config: ProjectorConfig, metrics: Metrics, logger: PinoLogger) => {
    const ns = config.RUNTRAIL_NAMESPACE;
    const retries = metrics.counter('runtrail_projector_batch_retries_total', 'Batches retried (database unavailable)');
    const ackWaitMs = config.PROJECTOR_ACK_WAIT_SECONDS * 1000;
    const outages = new FetchOutageLog(logger);
    return new PartitionOwnership(
      client,
      dataSource,
      {
        namespace: ns,
        consumer: projectorConsumerName(config),
        databaseUrl: config.DATABASE_URL,
        rebalanceEveryMs: REBALANCE_EVERY_MS,
        binding: (partition, durable, startSeq) => ({
          pattern: PROJECTION_BATCHES,
          stream: eventStreamName(ns),
          durable,
          consumer: { filterSubject: partitionSubjectFilter(ns, partition), ackWaitMs, maxAckPending: config.PROJECTOR_BATCH_SIZE, startSeq },
          batchSize: config.PROJECTOR_BATCH_SIZE,
          fetchExpiresMs: 1000,
          workingEveryMs: Math.min(ackWaitMs / 3, 5000),
          events: {
            ...outages.of(partition),
            handlerFailed: (err, attempt, delayMs, batch) => {
              retries.inc();
              logger.warn({ err: errorFields(err), partition, attempt, delayMs, firstSeq: batch[0].seq }, 'batch not committed; retrying');
            },
          },
        }),
      },
      logger,
      metrics,
    );
  },
};

/** The projector's transport: no fixed consumer, the partitions PartitionOwnership hands it. */
export const projectionConsumer: Provider = {
  provide: JetStreamServer,
  inject: [NatsClient, ConsumerReadinessCheck, PartitionOwnership],
  useFactory: (client: NatsClient, readiness: ConsumerReadinessCheck, ownership: PartitionOwnership) => new JetStreamServer(client, [], readiness, [ownership]),
};

/** How often a fetch outage is logged again while it lasts. */
const REMIND_EVERY_MS = 60_000;

/**
 * A fetch outage is logged when it starts, at error level when the stream or the consumer is
 * gone (nothing is projected until an operator restores the stream: docs/reliability.md),
 * then once a minute while it lasts, and its end once; not every retry, and once for the
 * instance, not once per partition (all of them fail together when the stream goes).
 */
class FetchOutageLog {
  private readonly failing = new Set<StreamPartition>();
  private loggedAt = 0;

  constructor(private readonly logger: PinoLogger) {}

  of(partition: StreamPartition): Pick<PullLoopEvents, 'fetchFailed' | 'resumed'> {
    return {
      fetchFailed: (err, failures) => {
        const starts = this.failing.size === 0;
        this.failing.add(partition);
        if (!starts && Date.now() - this.loggedAt < REMIND_EVERY_MS) return;
        this.loggedAt = Date.now();
        const fields = { err: errorFields(err), failures, partitions: this.failing.size };
        if (isStreamOrConsumerMissing(err)) {
          this.logger.error(fields, 'the event stream or the projector consumer is gone: nothing is projected until the stream is restored; retrying');
        } else this.logger.warn(fields, 'stream fetch failed; retrying');
      },
      resumed: () => {
        this.failing.delete(partition);
        if (this.failing.size === 0) this.logger.warn('reading the event stream again');
      },
    };
  }
}
