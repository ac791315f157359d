import { Injectable } from '@nestjs/common';
import type { AuditEvent, EventEnvelope } from '@runtrail/contracts';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError, recordId } from '../projection/parse-envelope';

interface Row {
  id: string;
  event: AuditEvent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Projects audit envelopes into `audit_events`, one multi-row insert per batch. */
@Injectable()
export class AuditEventProjection {
  /** Checks one message's events and turns them into rows (throws PoisonMessageError). */
  rows(seq: number, envelope: EventEnvelope<unknown>): Row[] {
    return envelope.events.map((raw, i) => {
      const e = raw as AuditEvent;
      if (!e || typeof e.eventId !== 'string' || !UUID.test(e.eventId)) throw new PoisonMessageError(`event ${i}: bad eventId`);
      if (typeof e.happenedAt !== 'string' || Number.isNaN(Date.parse(e.happenedAt))) {
        throw new PoisonMessageError(`event ${i}: bad happenedAt`);
      }
      for (const f of ['action', 'version', 'entityType', 'sourceType', 'sourceName'] as const) {
        if (typeof e[f] !== 'string') throw new PoisonMessageError(`event ${i}: ${f} missing`);
      }
      return { id: recordId(seq, i), event: e };
    });
  }

  /**
   * Inserts with `ON CONFLICT DO NOTHING`: the unique (tenant, event id) makes a
   * re-sent or redelivered event land once, whatever JetStream's duplicate window.
   */
  async insert(em: EntityManager, envelopes: { seq: number; envelope: EventEnvelope<unknown>; rows: Row[] }[]): Promise<number> {
    const cols: unknown[][] = Array.from({ length: 17 }, () => []);
    for (const { seq, envelope, rows } of envelopes) {
      const submittedBy = JSON.stringify(envelope.submitter);
      for (const { id, event: e } of rows) {
        const values = [
          id,
          envelope.tenantId,
          e.eventId,
          e.happenedAt,
          e.action,
          e.version,
          e.entityType,
          e.entityId ?? null,
          e.entityName ?? null,
          e.sourceType,
          e.sourceId ?? null,
          e.sourceName,
          e.success !== false,
          JSON.stringify(e.context ?? {}),
          envelope.receivedAt,
          submittedBy,
          seq,
        ];
        values.forEach((v, i) => cols[i].push(v));
      }
    }
    if (cols[0].length === 0) return 0;
    const runner = em.queryRunner;
    if (!runner) throw new Error('AuditEventProjection.insert must run inside a transaction');
    const result = await runner.query(
      `INSERT INTO audit_events (id, tenant_id, event_id, happened_at, action, version, entity_type, entity_id,
         entity_name, source_type, source_id, source_name, success, context, received_at, submitted_by, stream_seq)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[], $14::jsonb[],
         $15::timestamptz[], $16::jsonb[], $17::bigint[])
       ON CONFLICT DO NOTHING`,
      cols,
      true,
    );
    return result.affected ?? 0;
  }
}
