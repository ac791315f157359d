import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { NatsClient, deleteTenantFacts, eventStreamDeniesDelete } from '@runtrail/messaging';
import { asProjector, removeLogPrefixes, streamSeqOf, type LogCut, type ReadQuery } from '@runtrail/persistence';
import { Clock, Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { DataSource, type QueryRunner } from 'typeorm';
import { QueryConfig } from '../shared/config/query.config';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import { StreamMisses, type UndeliveredEntries } from '../streams/stream-misses';
import { RetentionStore, cutoffOf, type RetentionPolicy } from './retention-store';

/** What one removal did for one tenant: `POST /v1/retention/apply`'s answer. */
export interface RetentionOutcome {
  tenantId: string;
  /** Log entries removed from the tables and the stream. */
  removed: number;
  /** The cutoff: what was received before it may go; null where the policy removes nothing. */
  upTo: string | null;
}

/**
 * Removes what the tenants' retention policies let go (CONTRACT §8, docs/retention.md): the
 * longest prefix of each log received before its cutoff, from the query tables (whole month
 * partitions where every tenant in them lets them go, rows otherwise) in one transaction,
 * then from the stream. The log keeps its leaf hashes. Each removal is a timeline entry, and
 * each stream that had not delivered some of what went says how many it missed.
 */
@Injectable()
export class RetentionRemover {
  private readonly removedEntries;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: RetentionStore,
    private readonly client: NatsClient,
    private readonly misses: StreamMisses,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    metrics: Metrics,
  ) {
    this.removedEntries = metrics.counter('runtrail_retention_removed_entries_total', 'Log entries retention removed from the query tables and the stream');
  }

  /**
   * One tenant now (`POST /v1/retention/apply`, acting as `actor`), or every tenant with a
   * policy (the scheduled round, acting as whoever set each policy). A tenant on legal hold
   * or keeping everything removes nothing.
   */
  async remove(only?: { tenantId: string; actor: AuthContext }): Promise<RetentionOutcome[]> {
    const now = this.clock.now();
    const policies = only ? [await this.store.get(only.tenantId)].filter((p): p is RetentionPolicy => p !== undefined) : await this.store.list();
    const cutoffs = new Map<string, Date>();
    for (const p of policies) {
      const cutoff = cutoffOf(p, now);
      if (cutoff) cutoffs.set(p.tenantId, cutoff);
    }
    const outcomes = new Map<string, RetentionOutcome>(policies.map((p) => [p.tenantId, { tenantId: p.tenantId, removed: 0, upTo: cutoffs.get(p.tenantId)?.toISOString() ?? null }]));
    if (only && !outcomes.has(only.tenantId)) outcomes.set(only.tenantId, { tenantId: only.tenantId, removed: 0, upTo: null });
    if (cutoffs.size === 0) return [...outcomes.values()];

    const undelivered = new Map<string, UndeliveredEntries[]>();
    const at = new Date(now).toISOString();
    const actorOf = (tenantId: string): AuthContext =>
      only?.actor ?? { keyId: 'retention', tenantId, principal: (policies.find((p) => p.tenantId === tenantId) as RetentionPolicy).updatedBy, scopes: [] };
    const round = await this.dataSource.transaction(async (em) => {
      const runner = em.queryRunner as QueryRunner;
      const read = <R>(q: ReadQuery<R>) => asProjector(runner, async () => ((await runner.query(q.text, q.values)) as Record<string, unknown>[]).map((raw) => q.decode(raw)));
      const cut = await removeLogPrefixes(runner, cutoffs, new Date(now), async (c) => {
        undelivered.set(c.tenantId, await this.misses.undelivered(c.tenantId, c.upToPosition, read));
      });
      // In the timeline before the commit: a removal is never without its entry (a commit that
      // then fails leaves an entry for a removal the next round makes, and records again).
      for (const { cut: c, entries } of cut.removals) await this.recordRemoval(actorOf(c.tenantId), c, entries, at);
      return cut;
    });
    if (round.droppedPartitions.length) this.logger.info({ partitions: round.droppedPartitions.map((d) => d.partition) }, 'retention dropped month partitions whole');
    for (const { cut, entries } of round.removals) {
      await this.misses.missed(actorOf(cut.tenantId), undelivered.get(cut.tenantId) ?? [], at, cut.receivedBefore.toISOString());
      this.removedEntries.inc(entries);
      (outcomes.get(cut.tenantId) as RetentionOutcome).removed = entries;
    }
    // Every removed prefix is deleted from the stream again, not only the new ones: a deletion that failed after an earlier removal is made up for.
    await this.removeFromStream(round.cuts);
    return [...outcomes.values()];
  }

  private async removeFromStream(cuts: LogCut[]): Promise<void> {
    const removed = cuts.filter((c) => c.upToPosition !== '0');
    if (!removed.length) return;
    const ns = this.config.RUNTRAIL_NAMESPACE;
    if (await eventStreamDeniesDelete(this.client, ns)) {
      this.logger.warn({ tenants: removed.map((c) => c.tenantId) }, 'the event stream was made before retention and denies deletes: removed entries stay in it (docs/retention.md#older-streams)');
      return;
    }
    for (const cut of removed) {
      // From the first message after the previous removal's on; a round that removed nothing new goes over the whole prefix once more.
      const fromSeq = cut.upToIndex > cut.fromIndex ? streamSeqOf(cut.afterPosition) + 1 : 1;
      const deleted = await deleteTenantFacts(this.client, ns, cut.tenantId, fromSeq, streamSeqOf(cut.upToPosition));
      if (deleted) this.logger.info({ tenantId: cut.tenantId, messages: deleted }, 'retention deleted messages from the event stream');
    }
  }

  private async recordRemoval(actor: AuthContext, cut: LogCut, entries: number, at: string): Promise<void> {
    await this.timeline.record(actor, {
      tenantId: cut.tenantId,
      action: 'Delete',
      entityType: 'Retention',
      entityId: cut.tenantId,
      entityName: 'retention',
      at,
      // `removed` and `upTo` as `POST /v1/retention/apply` answers them: how many entries, up to which time.
      context: { removed: String(entries), upTo: cut.receivedBefore.toISOString(), fromIndex: String(cut.fromIndex), upToIndex: String(cut.upToIndex) },
    });
  }
}
