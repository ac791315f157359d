import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { commandViewAt, type CommandView } from '@runtrail/contracts';
import { Clock } from '@runtrail/platform';
import { refusalToAccept } from '../../command-lifecycle';
import { CommandTransitions } from '../../command-transitions';

export interface AcceptCommandCommand {
  auth: AuthContext;
  commandId: string;
}

/**
 * The runner takes a command. Compare-and-set: of two attempts (a redelivery, a
 * reconnect) exactly one gets it; an expired command is never taken.
 */
@Injectable()
export class AcceptCommand {
  constructor(
    private readonly commands: CommandTransitions,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, commandId }: AcceptCommandCommand): Promise<CommandView> {
    const current = await this.commands.ownedBy(auth, commandId);
    const refusal = refusalToAccept(current.value, commandId, this.clock.now());
    if (refusal) {
      // Best effort: readers see it expired anyway; the fact only makes it explicit.
      if (refusal.recordExpiry) await this.commands.move(auth, current, 'expired').catch(() => undefined);
      throw refusal.error;
    }
    const accepted = await this.commands.move(auth, current, 'accepted');
    return commandViewAt(accepted.value, this.clock.now());
  }
}
