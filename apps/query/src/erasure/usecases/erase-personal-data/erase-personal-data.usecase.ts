import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { ErasedEntry, ErasureFact } from '@runtrail/contracts';
import { eventFieldsHolding, reportFieldsHolding } from '@runtrail/integrity';
import { EventPublisher, PersonalDataVault } from '@runtrail/messaging';
import { PrimaryTenantReader, auditEntriesHolding, reportEntriesHolding, streamSeqOf, toAuditRecord } from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { requestedTenant } from '../../../shared/tenancy/requested-tenant';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
import type { ErasureView } from '../../erasure-views';
import { ProjectionProgress } from '../../projection-progress';

export interface EraseCommand {
  auth: AuthContext;
  value: string;
  reason: string;
  tenantId?: string;
}

/** Entries per erasure fact, so a fact stays far below the stream's message size. */
const ENTRIES_PER_FACT = 500;

/**
 * Erases a personal value from every personal field of a tenant's entries (CONTRACT §6,
 * docs/integrity.md#erasure). Once the projector holds everything accepted before the
 * request, the entries holding the value are found, the value is dropped from their vault
 * entries (so neither the stream, which only ever held its digest, nor a rebuild can bring
 * it back), and an `erasure` fact tells the projector which fields of which rows to rewrite.
 * The timeline records the act with its reason and counts, never the value.
 */
@Injectable()
export class ErasePersonalData {
  constructor(
    private readonly reader: PrimaryTenantReader,
    private readonly progress: ProjectionProgress,
    private readonly vault: PersonalDataVault,
    private readonly publisher: EventPublisher,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {}

  async execute({ auth, value, reason, tenantId: requested }: EraseCommand): Promise<ErasureView> {
    const tenantId = requestedTenant(auth, requested, { name: 'tenantId', otherTenant: 'a tenant admin may only erase personal data for its own tenant' });
    await this.progress.caughtUp();
    const digests = this.vault.digests.of(tenantId);
    const erased: (ErasedEntry & { streamSeq: number })[] = [];
    for (const row of await this.reader.read(tenantId, auditEntriesHolding(tenantId, value))) {
      const fields = eventFieldsHolding(toAuditRecord(row), value, digests);
      if (Object.keys(fields).length) erased.push({ position: row.id, row: 'event', fields, streamSeq: row.streamSeq });
    }
    for (const row of await this.reader.read(tenantId, reportEntriesHolding(tenantId, value))) {
      const fields = reportFieldsHolding(row.report, value, digests);
      if (Object.keys(fields).length) erased.push({ position: row.position, row: 'report', fields, streamSeq: streamSeqOf(row.position) });
    }

    await this.forgetInVault(erased);
    const erasureId = randomUUID();
    const at = this.clock.iso();
    for (let i = 0; i < erased.length; i += ENTRIES_PER_FACT) {
      const fact: ErasureFact = { erasureId, entries: erased.slice(i, i + ENTRIES_PER_FACT).map(({ position, row, fields }) => ({ position, row, fields })) };
      await this.publisher.publishEvents({ kind: 'erasure', tenantId, submitter: auth.principal, receivedAt: at }, [fact]);
    }
    const fields = erased.reduce((n, e) => n + Object.keys(e.fields).length, 0);
    await this.timeline.record(auth, {
      tenantId,
      action: 'Erase',
      entityType: 'PersonalData',
      entityId: erasureId,
      entityName: 'personal data',
      context: { reason, fields: String(fields), entries: String(erased.length) },
      eventId: erasureId,
      at,
    });
    return { erasureId, fields, entries: erased.length };
  }

  /** Drops the value's digests from the vault entry of every message that held it. */
  private async forgetInVault(erased: (ErasedEntry & { streamSeq: number })[]): Promise<void> {
    const bySeq = new Map<number, Set<string>>();
    for (const e of erased) {
      const digests = bySeq.get(e.streamSeq) ?? new Set<string>();
      for (const d of Object.values(e.fields)) digests.add(d);
      bySeq.set(e.streamSeq, digests);
    }
    for (const [seq, digests] of bySeq) {
      const key = await this.progress.vaultOf(seq);
      // A message stored before the vault existed holds its values itself and cannot change.
      if (key === undefined) this.logger.warn({ streamSeq: seq }, 'erased from the tables, but the stream message predates the vault and still holds the value');
      else await this.vault.forget(key, [...digests]);
    }
  }
}
