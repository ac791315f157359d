import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { assertMayReport } from '../../command-lifecycle';
import { CommandTransitions } from '../../command-transitions';

export interface ReportCommandStatusCommand {
  auth: AuthContext;
  commandId: string;
  status: 'running' | 'succeeded' | 'failed';
  exitCode?: number;
  newRunId?: string;
}

/** The runner reports progress on a command it accepted, step by allowed step. */
@Injectable()
export class ReportCommandStatus {
  constructor(private readonly commands: CommandTransitions) {}

  async execute({ auth, commandId, status, exitCode, newRunId }: ReportCommandStatusCommand): Promise<void> {
    const current = await this.commands.ownedBy(auth, commandId);
    assertMayReport(commandId, current.value.status, status);
    await this.commands.move(auth, current, status, {
      ...(exitCode !== undefined ? { exitCode } : {}),
      ...(newRunId !== undefined ? { newRunId: newRunId.toLowerCase() } : {}),
    });
  }
}
