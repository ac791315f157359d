import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { eventStreamName } from '@runtrail/contracts';
import { NatsClient } from '@runtrail/messaging';
import { Metrics } from '@runtrail/platform';
import { ProjectorConfig } from '../config/projector.config';
import { projectorConsumerName } from './projection-names';

/** `runtrail_projector_pending_messages`: stream messages not yet projected, read every 5 s. */
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
    this.timer = setInterval(() => {
      this.client.jsm.consumers
        .info(eventStreamName(ns), projectorConsumerName(this.config))
        .then((info) => gauge.set(info.num_pending + info.num_ack_pending))
        .catch(() => undefined);
    }, 5000);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
