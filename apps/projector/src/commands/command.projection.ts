import { Injectable } from '@nestjs/common';
import { COMMAND_STATUSES, type CommandStatus, type EventEnvelope } from '@runtrail/contracts';
import { upsertCommands, type CommandRow } from '@runtrail/persistence';
import type { EntityManager } from 'typeorm';
import { PoisonMessageError } from '../projection/parse-envelope';
import { UUID } from '../projection/uuid';

/** Projects command facts: the highest revision of each command wins. */
@Injectable()
export class CommandProjection {
  rows(envelope: EventEnvelope<unknown>): CommandRow[] {
    return envelope.events.map((raw, i) => {
      const c = raw as CommandRow;
      if (!c || !UUID.test(String(c.id)) || !UUID.test(String(c.runId)) || !UUID.test(String(c.runnerId))) {
        throw new PoisonMessageError(`command ${i}: bad ids`);
      }
      // Facts from before schedules existed have no scheduleId.
      const scheduleId = c.scheduleId ?? null;
      if (scheduleId !== null && !UUID.test(String(scheduleId))) throw new PoisonMessageError(`command ${i}: bad scheduleId`);
      if (!COMMAND_STATUSES.includes(c.status as CommandStatus) || !Number.isInteger(c.revision)) {
        throw new PoisonMessageError(`command ${i}: bad status or revision`);
      }
      // Facts from before command leases have no error.
      const error = c.error ?? null;
      if (error !== null && typeof error !== 'string') throw new PoisonMessageError(`command ${i}: bad error`);
      return { ...c, scheduleId, error, tenantId: envelope.tenantId };
    });
  }

  async apply(em: EntityManager, rows: CommandRow[]): Promise<void> {
    if (rows.length === 0) return;
    // One statement may not touch a row twice: keep each command's highest revision.
    const latest = new Map<string, CommandRow>();
    for (const r of rows) {
      const key = `${r.tenantId}/${r.id}`;
      const seen = latest.get(key);
      if (!seen || seen.revision < r.revision) latest.set(key, r);
    }
    await em.query(upsertCommands.text, upsertCommands.params([...latest.values()]));
  }
}
