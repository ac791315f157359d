import type { Provider } from '@nestjs/common';
import { eventStreamName, eventSubjectFilter } from '@runtrail/contracts';
import { ConsumerReadinessCheck, JetStreamServer, NatsClient, isStreamOrConsumerMissing, type PullLoopEvents } from '@runtrail/messaging';
import { Metrics, errorFields } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { ProjectorConfig } from '../config/projector.config';
import { PROJECTION_BATCHES, projectorConsumerName } from './projection-names';

/** The projector's durable consumer: the whole event stream, in batches, to ProjectionHandler. */
export const projectionConsumer: Provider = {
  provide: JetStreamServer,
  inject: [NatsClient, ProjectorConfig, Metrics, PinoLogger, ConsumerReadinessCheck],
  useFactory: (client: NatsClient, config: ProjectorConfig, metrics: Metrics, logger: PinoLogger, readiness: ConsumerReadinessCheck) => {
    const ns = config.RUNTRAIL_NAMESPACE;
    const retries = metrics.counter('runtrail_projector_batch_retries_total', 'Batches retried (database unavailable)');
    const ackWaitMs = config.PROJECTOR_ACK_WAIT_SECONDS * 1000;
    return new JetStreamServer(client, [
      {
        pattern: PROJECTION_BATCHES,
        stream: eventStreamName(ns),
        durable: projectorConsumerName(config),
        // One batch in flight across all replicas: a batch whose holder died comes back
        // (after the ack wait) before anything later is delivered, so each tenant's log is
        // appended in stream order (docs/integrity.md), at the cost of that pause after a crash.
        consumer: { filterSubject: eventSubjectFilter(ns), ackWaitMs, maxAckPending: config.PROJECTOR_BATCH_SIZE },
        batchSize: config.PROJECTOR_BATCH_SIZE,
        fetchExpiresMs: 1000,
        workingEveryMs: Math.min(ackWaitMs / 3, 5000),
        events: {
          ...fetchOutageLog(logger),
          handlerFailed: (err, attempt, delayMs, batch) => {
            retries.inc();
            logger.warn({ err: errorFields(err), attempt, delayMs, firstSeq: batch[0].seq }, 'batch not committed; retrying');
          },
        },
      },
    ], readiness);
  },
};

/** How often a fetch outage is logged again while it lasts. */
const REMIND_EVERY_MS = 60_000;

/**
 * A fetch outage is logged when it starts, at error level when the stream or the consumer is
 * gone (nothing is projected until an operator restores the stream: docs/reliability.md),
 * then once a minute while it lasts, and its end once; not every retry.
 */
function fetchOutageLog(logger: PinoLogger): Pick<PullLoopEvents, 'fetchFailed' | 'resumed'> {
  let loggedAt = 0;
  return {
    fetchFailed: (err, failures) => {
      if (failures > 1 && Date.now() - loggedAt < REMIND_EVERY_MS) return;
      loggedAt = Date.now();
      if (isStreamOrConsumerMissing(err)) {
        logger.error({ err: errorFields(err), failures }, 'the event stream or the projector consumer is gone: nothing is projected until the stream is restored; retrying');
      } else logger.warn({ err: errorFields(err), failures }, 'stream fetch failed; retrying');
    },
    resumed: () => {
      loggedAt = 0;
      logger.warn('reading the event stream again');
    },
  };
}

