import { Injectable } from '@nestjs/common';
import { Metrics } from '@runtrail/platform';
import { Gauge, type Counter } from 'prom-client';

type Labels = 'stream' | 'tenant';

/** The lag of each stream this replica delivers, counted when asked. */
export type LagSource = () => Promise<{ labels: Record<Labels, string>; entries: number }[]>;

/** Per stream (CONTRACT §8, docs/streams.md#metrics): records delivered, failed and retried, and lag, from the replica that delivers. */
@Injectable()
export class StreamMetrics {
  readonly delivered: Counter<Labels>;
  /** Records in deliveries that failed: each failed attempt counts its records. */
  readonly failed: Counter<Labels>;
  /** Records taken by the receiver on an attempt that followed a failed one. */
  readonly retried: Counter<Labels>;
  readonly lag: Gauge<Labels>;
  private lagSource: LagSource = () => Promise.resolve([]);

  constructor(metrics: Metrics) {
    this.delivered = metrics.counter('runtrail_stream_records_delivered_total', 'Records a stream delivered', ['stream', 'tenant']);
    this.failed = metrics.counter('runtrail_stream_records_failed_total', 'Records in stream deliveries that failed (per attempt)', ['stream', 'tenant']);
    this.retried = metrics.counter('runtrail_stream_records_retried_total', 'Records a stream delivered on a retry after a failure', ['stream', 'tenant']);
    const source = () => this.lagSource();
    this.lag = new Gauge({
      name: 'runtrail_stream_lag_entries',
      help: 'Stored entries that match a stream and are not delivered yet',
      labelNames: ['stream', 'tenant'],
      registers: [metrics.registry],
      // Counted at each scrape, so the figure is as true as GET /v1/streams'.
      async collect() {
        this.reset();
        for (const { labels, entries } of await source()) this.set(labels, entries);
      },
    });
  }

  /** Where the lag comes from: the deliverer's streams. */
  countLagWith(source: LagSource): void {
    this.lagSource = source;
  }

  /** A deleted stream's series end with it. */
  forget(labels: Record<Labels, string>): void {
    for (const m of [this.delivered, this.failed, this.retried]) m.remove(labels);
  }
}
