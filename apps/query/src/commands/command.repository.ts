import { Injectable } from '@nestjs/common';
import type { CommandView } from '@runtrail/contracts';
import { TenantReader, commandPage, type CommandFilter } from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** Commands as projected from their facts, as a keyset list; statuses as they read now. */
@Injectable()
export class CommandRepository implements KeysetSource<CommandFilter, CommandView> {
  readonly name = 'commands';

  constructor(
    private readonly db: TenantReader,
    private readonly clock: Clock,
  ) {}

  fetch(tenantId: string | null, f: CommandFilter, limit: number, offset: number, after?: CursorPosition): Promise<CommandView[]> {
    return this.db.read(tenantId, commandPage(tenantId, f, { limit, offset, after }, this.clock.now()));
  }

  positionOf(c: CommandView): CursorPosition {
    return { t: c.requestedAt, i: c.id };
  }
}
