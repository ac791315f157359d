import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { STREAM_PARTITIONS, eventStreamName, partitionConsumerName } from '@runtrail/contracts';
import { NatsClient } from '@runtrail/messaging';
import { Metrics } from '@runtrail/platform';
import { ProjectorConfig } from '../config/projector.config';
import { projectorConsumerName } from './projection-names';

/**
 * `runtrail_projector_pending_messages`: stream messages not yet projected, over every
 * partition (whichever instance owns it), read every 5 s.
 */
@Injectable()
export class ConsumerLagMetric implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly client: NatsClient,
    @Inject(ProjectorConfig) private readonly config: ProjectorConfig,
    private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    const gauge = this.metrics.gauge('runtrail_projector_pending_messages', 'Stream messages not yet projected (lag)');
    const ns = this.config.RUNTRAIL_NAMESPACE;
    const consumer = projectorConsumerName(this.config);
    this.timer = setInterval(() => {
      Promise.all(STREAM_PARTITIONS.map((p) => this.client.jsm.consumers.info(eventStreamName(ns), partitionConsumerName(consumer, p))))
        .then((infos) => gauge.set(infos.reduce((sum, info) => sum + info.num_pending + info.num_ack_pending, 0)))
        // A partition not yet served has no consumer: the figure waits for all of them.
        .catch(() => undefined);
    }, 5000);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
