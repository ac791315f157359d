import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { CommandStatus } from '@runtrail/contracts';
import { Clock, NotFoundError } from '@runtrail/platform';
import { CommandEvents } from './command-events';
import { movedTo, type CommandChanges } from './command-lifecycle';
import { CommandStore, type CommandState, type Versioned } from './command-store';

/** The runner's side of a command: finding its own commands and moving them on. */
@Injectable()
export class CommandTransitions {
  constructor(
    private readonly store: CommandStore,
    private readonly events: CommandEvents,
    private readonly clock: Clock,
  ) {}

  /** A command of the calling runner; any other (another runner's, another tenant's) is not found. */
  async ownedBy(auth: AuthContext, id: string): Promise<Versioned<CommandState>> {
    const found = await this.store.get(id.toLowerCase());
    if (!found || found.value.tenantId !== auth.tenantId || found.value.runnerId !== auth.runnerId) {
      throw new NotFoundError(`command ${id} not found`);
    }
    return found;
  }

  /** Moves a command on by compare-and-set (409 when it changed meanwhile) and records the fact. */
  async move(auth: AuthContext, current: Versioned<CommandState>, status: CommandStatus, changes: CommandChanges = {}): Promise<Versioned<CommandState>> {
    const next = await this.store.update(current, movedTo(current.value, status, changes, this.clock.iso()));
    await this.events.changed(auth, next);
    return next;
  }
}
