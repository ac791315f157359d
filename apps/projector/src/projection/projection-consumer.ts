import type { Provider } from '@nestjs/common';
import { eventStreamName, eventSubjectFilter } from '@runtrail/contracts';
import { JetStreamServer, NatsClient } from '@runtrail/messaging';
import { Metrics, errorFields } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { ProjectorConfig } from '../config/projector.config';
import { PROJECTION_BATCHES, projectorConsumerName } from './projection-names';

/** The projector's durable consumer: the whole event stream, in batches, to ProjectionHandler. */
export const projectionConsumer: Provider = {
  provide: JetStreamServer,
  inject: [NatsClient, ProjectorConfig, Metrics, PinoLogger],
  useFactory: (client: NatsClient, config: ProjectorConfig, metrics: Metrics, logger: PinoLogger) => {
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
          fetchFailed: (err, failures) => logger.warn({ err: errorFields(err), failures }, 'stream fetch failed; retrying'),
          handlerFailed: (err, attempt, delayMs, batch) => {
            retries.inc();
            logger.warn({ err: errorFields(err), attempt, delayMs, firstSeq: batch[0].seq }, 'batch not committed; retrying');
          },
        },
      },
    ]);
  },
};

