import { Injectable } from '@nestjs/common';
import type { AuditEvent, EventEnvelope } from '@runtrail/contracts';
import { streamPosition, upsertAuditEvents, writeRows, type AuditEventRow } from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError } from '../projection/parse-envelope';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Projects audit envelopes into `audit_events`, one multi-row upsert per batch. */
@Injectable()
export class AuditEventProjection {
  /** Checks one message's events and turns them into rows (throws PoisonMessageError). */
  rows(seq: number, envelope: EventEnvelope<unknown>): AuditEventRow[] {
    return envelope.events.map((raw, i) => {
      const e = raw as AuditEvent;
      if (!e || typeof e.eventId !== 'string' || !UUID.test(e.eventId)) throw new PoisonMessageError(`event ${i}: bad eventId`);
      if (typeof e.happenedAt !== 'string' || Number.isNaN(Date.parse(e.happenedAt))) {
        throw new PoisonMessageError(`event ${i}: bad happenedAt`);
      }
      for (const f of ['action', 'version', 'entityType', 'sourceType', 'sourceName'] as const) {
        if (typeof e[f] !== 'string') throw new PoisonMessageError(`event ${i}: ${f} missing`);
      }
      if ((e.changes ?? null) !== null && (typeof e.changes !== 'object' || Array.isArray(e.changes))) {
        throw new PoisonMessageError(`event ${i}: changes is not an object`);
      }
      if ((e.correlationId ?? null) !== null && typeof e.correlationId !== 'string') throw new PoisonMessageError(`event ${i}: bad correlationId`);
      return {
        id: streamPosition(seq, i),
        tenantId: envelope.tenantId,
        eventId: e.eventId,
        happenedAt: e.happenedAt,
        action: e.action,
        version: e.version,
        entityType: e.entityType,
        entityId: e.entityId ?? null,
        entityName: e.entityName ?? null,
        sourceType: e.sourceType,
        sourceId: e.sourceId ?? null,
        sourceName: e.sourceName,
        success: e.success !== false,
        context: e.context ?? {},
        receivedAt: envelope.receivedAt,
        // Events stored before these fields existed carry neither.
        changes: e.changes ?? null,
        correlationId: e.correlationId ?? null,
        submittedBy: envelope.submitter,
        streamSeq: seq,
      };
    });
  }

  /**
   * Writes the rows of a batch. A re-sent or redelivered event lands once, whatever
   * JetStream's duplicate window; redeliveries can arrive after later messages, so
   * the row from the earliest stream position wins whatever the order of arrival,
   * and the table equals one rebuilt from the stream in order.
   */
  async insert(em: EntityManager, rows: AuditEventRow[]): Promise<number> {
    // One statement may not touch a row twice: keep each event's earliest occurrence.
    const earliest = new Map<string, AuditEventRow>();
    for (const row of rows) {
      const key = `${row.tenantId}/${row.eventId}`;
      const seen = earliest.get(key);
      if (!seen || BigInt(row.id) < BigInt(seen.id)) earliest.set(key, row);
    }
    return writeRows(em, upsertAuditEvents, [...earliest.values()]);
  }
}
