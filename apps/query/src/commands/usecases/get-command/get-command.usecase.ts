import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { commandViewAt, type CommandView } from '@runtrail/contracts';
import { Clock, NotFoundError } from '@runtrail/platform';
import { CommandStore } from '../../command-store';

export interface GetCommandCommand {
  auth: AuthContext;
  commandId: string;
}

/** One command from its authoritative state, current before the projector catches up. */
@Injectable()
export class GetCommand {
  constructor(
    private readonly store: CommandStore,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, commandId }: GetCommandCommand): Promise<CommandView> {
    const found = await this.store.get(commandId.toLowerCase());
    if (!found || (auth.tenantId !== null && found.value.tenantId !== auth.tenantId)) {
      throw new NotFoundError(`command ${commandId} not found`);
    }
    return commandViewAt(found.value, this.clock.now());
  }
}
