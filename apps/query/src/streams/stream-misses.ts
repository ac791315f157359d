import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { NatsClient } from '@runtrail/messaging';
import { streamBacklog, type ReadQuery } from '@runtrail/persistence';
import { QueryConfig } from '../shared/config/query.config';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import { deliveredUpTo } from './stream-consumer';
import { storedAuditFilter } from './stream-filter';
import { StreamStore, type StreamDefinition } from './stream-store';

/** A stream and how many of the entries about to be removed it has not delivered. */
export interface UndeliveredEntries {
  stream: StreamDefinition;
  entries: number;
}

/**
 * What retention takes from streams (CONTRACT §8, docs/retention.md#streams): a stream whose
 * undelivered entries are removed goes on from the next entry, and says how many it missed in
 * `lastError` and in a timeline entry.
 */
@Injectable()
export class StreamMisses {
  constructor(
    private readonly store: StreamStore,
    private readonly client: NatsClient,
    private readonly timeline: TimelineRecorder,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  /**
   * For each of the tenant's streams, the entries matching its filter, at positions up to
   * `throughPosition`, after what its receiver acknowledged. Counted with `read` inside the
   * removal's transaction, right before the rows go; a batch in flight at that moment may
   * still reach the receiver, so the count is what the stream could not be sure to deliver.
   */
  async undelivered(tenantId: string, throughPosition: string, read: <R>(q: ReadQuery<R>) => Promise<R[]>): Promise<UndeliveredEntries[]> {
    const counts: UndeliveredEntries[] = [];
    for (const stream of (await this.store.list()).filter((s) => s.tenantId === tenantId)) {
      const delivered = await deliveredUpTo(this.client, this.config.RUNTRAIL_NAMESPACE, stream);
      const [entries] = await read(streamBacklog(tenantId, storedAuditFilter(stream.filter), delivered, throughPosition));
      if (entries) counts.push({ stream, entries });
    }
    return counts;
  }

  /** Keeps what each stream missed beside its progress, and puts it in the timeline. */
  async missed(actor: AuthContext, undelivered: UndeliveredEntries[], at: string, receivedBefore: string): Promise<void> {
    for (const { stream, entries } of undelivered) {
      const total = await this.store.addMisses(stream.id, entries, at, receivedBefore);
      await this.timeline.record(actor, {
        tenantId: stream.tenantId,
        action: 'Update',
        entityType: 'Stream',
        entityId: stream.id,
        entityName: stream.name,
        at,
        context: { missed: String(entries), missedInAll: String(total.entries), reason: 'retention', receivedBefore },
      });
    }
  }
}
