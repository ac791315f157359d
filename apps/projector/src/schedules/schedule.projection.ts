import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@runtrail/contracts';
import { upsertSchedules, type ScheduleRow } from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError } from '../projection/parse-envelope';
import { UUID } from '../projection/uuid';

/** Projects schedule facts: the highest revision of each schedule wins, a deletion included. */
@Injectable()
export class ScheduleProjection {
  rows(envelope: EventEnvelope<unknown>): ScheduleRow[] {
    return envelope.events.map((raw, i) => {
      const s = raw as ScheduleRow;
      if (!s || !UUID.test(String(s.id)) || !UUID.test(String(s.runId))) throw new PoisonMessageError(`schedule ${i}: bad ids`);
      if (typeof s.paused !== 'boolean' || typeof s.deleted !== 'boolean' || !Number.isInteger(s.revision)) {
        throw new PoisonMessageError(`schedule ${i}: bad paused, deleted or revision`);
      }
      return { ...s, tenantId: envelope.tenantId };
    });
  }

  async apply(em: EntityManager, rows: ScheduleRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One statement may not touch a row twice: keep each schedule's highest revision.
    const latest = new Map<string, ScheduleRow>();
    for (const r of rows) {
      const key = `${r.tenantId}/${r.id}`;
      const seen = latest.get(key);
      if (!seen || seen.revision < r.revision) latest.set(key, r);
    }
    await em.query(upsertSchedules.text, upsertSchedules.params([...latest.values()]));
  }
}
