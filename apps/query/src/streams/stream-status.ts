import { Inject, Injectable } from '@nestjs/common';
import type { StreamStatusView } from '@runtrail/contracts';
import { NatsClient } from '@runtrail/messaging';
import { TenantReader, streamBacklog } from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import { QueryConfig } from '../shared/config/query.config';
import { deliveredUpTo } from './stream-consumer';
import { storedAuditFilter } from './stream-filter';
import { StreamStore, type StreamDefinition } from './stream-store';
import { streamState, streamStatusView } from './stream-views';

/**
 * Where a stream stands now, read afresh on every call: its state from the progress its
 * deliverer wrote, its lag from its consumer's acknowledged floor and the stored entries after it.
 */
@Injectable()
export class StreamStatus {
  constructor(
    private readonly store: StreamStore,
    private readonly client: NatsClient,
    private readonly reader: TenantReader,
    private readonly clock: Clock,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async of(d: StreamDefinition): Promise<StreamStatusView> {
    const [progress, lagEntries, missed] = await Promise.all([this.store.progress(d.id), this.lag(d), this.store.misses(d.id)]);
    return streamStatusView(d, progress, streamState(d, progress, this.config.STREAM_ERROR_AFTER_SECONDS * 1000, this.clock.now()), lagEntries, missed);
  }

  async lag(d: StreamDefinition): Promise<number> {
    const delivered = await deliveredUpTo(this.client, this.config.RUNTRAIL_NAMESPACE, d);
    const [count] = await this.reader.read(d.tenantId, streamBacklog(d.tenantId, storedAuditFilter(d.filter), delivered));
    return count ?? 0;
  }
}
