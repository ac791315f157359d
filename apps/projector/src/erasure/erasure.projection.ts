import { Injectable } from '@nestjs/common';
import type { ErasureFact, EventEnvelope } from '@runtrail/contracts';
import { eraseEventFields, eraseReportFields } from '@runtrail/integrity';
import {
  AUDIT_EVENTS_AT_SQL,
  ERASE_AUDIT_EVENT_SQL,
  ERASE_RUN_REPORT_SQL,
  RUN_REPORTS_AT_SQL,
  actionRunReportsTable,
  auditEventsTable,
  insertErasedValues,
  toAuditRecord,
  type ErasedValueRow,
} from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { ActionRunProjection } from '../action-runs/action-run.projection';
import { PoisonMessageError } from '../projection/parse-envelope';

export interface TenantErasure {
  tenantId: string;
  fact: ErasureFact;
}

const POSITION = /^[0-9]{1,19}$/;

/**
 * Applies erasures to the rows (docs/integrity.md#erasure): the named fields of each
 * entry's row read `[erased]`, their digests go to `erased_values`, and the runs whose
 * reports changed are folded again, so the merged run and its timeline entry lose the
 * value too. The vault no longer holds the value by then, so a rebuild from the stream
 * reads `[erased]` on its own and this finds nothing left to change.
 */
@Injectable()
export class ErasureProjection {
  constructor(private readonly runs: ActionRunProjection) {}

  facts(envelope: EventEnvelope<unknown>): TenantErasure[] {
    return envelope.events.map((raw, i) => {
      const fact = raw as ErasureFact;
      const ok =
        typeof fact?.erasureId === 'string' &&
        Array.isArray(fact.entries) &&
        fact.entries.every((e) => POSITION.test(e?.position) && (e.row === 'event' || e.row === 'report') && e.fields !== null && typeof e.fields === 'object');
      if (!ok) throw new PoisonMessageError(`erasure ${i}: malformed`);
      return { tenantId: envelope.tenantId, fact };
    });
  }

  async apply(em: EntityManager, erasures: TenantErasure[]): Promise<void> {
    for (const { tenantId, fact } of erasures) {
      const byPosition = (row: 'event' | 'report') => new Map(fact.entries.filter((e) => e.row === row).map((e) => [e.position, e.fields]));
      const events = byPosition('event');
      const reports = byPosition('report');
      const erased: ErasedValueRow[] = fact.entries.flatMap((e) => Object.entries(e.fields).map(([path, digest]) => ({ tenantId, position: e.position, path, digest })));

      for (const raw of await em.query(AUDIT_EVENTS_AT_SQL, [tenantId, [...events.keys()]])) {
        const row = auditEventsTable.decode(raw as Record<string, unknown>);
        const e = eraseEventFields(toAuditRecord(row), Object.keys(events.get(row.id) ?? {}));
        await em.query(ERASE_AUDIT_EVENT_SQL, [tenantId, row.id, e.entityId, e.entityName, e.sourceId, e.sourceName, JSON.stringify(e.context), e.changes ? JSON.stringify(e.changes) : null]);
      }
      const touched = new Map<string, { tenantId: string; runId: string }>();
      for (const raw of await em.query(RUN_REPORTS_AT_SQL, [tenantId, [...reports.keys()]])) {
        const row = actionRunReportsTable.decode(raw as Record<string, unknown>);
        await em.query(ERASE_RUN_REPORT_SQL, [tenantId, row.position, JSON.stringify(eraseReportFields(row.report, Object.keys(reports.get(row.position) ?? {})))]);
        touched.set(row.runId, { tenantId, runId: row.runId });
      }
      await this.runs.refold(em, [...touched.values()]);
      if (erased.length) await em.query(insertErasedValues.text, insertErasedValues.params(erased));
    }
  }
}
