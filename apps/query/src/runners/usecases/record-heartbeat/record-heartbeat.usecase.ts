import { Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext } from '@runtrail/auth';
import { Clock } from '@runtrail/platform';
import { callingRunner } from '../../calling-runner';

export interface RecordHeartbeatCommand {
  auth: AuthContext;
  state: 'online' | 'offline';
  hostname?: string;
  version?: string;
}

/** The agent is alive (online for 30 s from now), or says it stops (offline at once). */
@Injectable()
export class RecordHeartbeat {
  constructor(
    private readonly store: RunnerStore,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, state, hostname, version }: RecordHeartbeatCommand): Promise<void> {
    const runner = await callingRunner(this.store, auth);
    await this.store.setPresence(runner.id, { lastSeenAt: this.clock.iso(), state, hostname: hostname ?? null, version: version ?? null });
  }
}
