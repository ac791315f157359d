import { Injectable } from '@nestjs/common';
import type { CommandStatus, CommandView } from '@runtrail/contracts';
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

  /**
   * Up to `limit` commands of the runner with `status`, as projected: where the lease sweep
   * looks (through the runner index), before it reads each one's authoritative state.
   */
  withStatus(tenantId: string, runnerId: string, status: CommandStatus, limit: number): Promise<CommandView[]> {
    return this.fetch(tenantId, { runnerId, status }, limit, 0);
  }

  positionOf(c: CommandView): CursorPosition {
    return { t: c.requestedAt, i: c.id };
  }
}
