import { Injectable } from '@nestjs/common';
import type { CommandStatus, CommandView } from '@runtrail/contracts';
import { TenantReader, commandPage, commandsOfRun, type CommandFilter } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** Commands as projected from their facts: lists and a run's re-triggers. */
@Injectable()
export class CommandRepository implements KeysetSource<CommandFilter, CommandView> {
  readonly name = 'commands';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: CommandFilter, limit: number, offset: number, after?: CursorPosition): Promise<CommandView[]> {
    return this.db.read(tenantId, commandPage(tenantId, f, { limit, offset, after }, Date.now()));
  }

  positionOf(c: CommandView): CursorPosition {
    return { t: c.requestedAt, i: c.id };
  }

  /** A run's re-triggers, oldest first. */
  async retriggersOf(tenantId: string, runId: string): Promise<{ commandId: string; status: CommandStatus; newRunId: string | null }[]> {
    const commands = await this.db.read(tenantId, commandsOfRun(tenantId, runId, Date.now()));
    return commands.map((c) => ({ commandId: c.id, status: c.status, newRunId: c.newRunId }));
  }
}
