import { Injectable } from '@nestjs/common';
import { KeyStore, isKeyInactive, isRoot, type AuthContext } from '@runtrail/auth';
import { Clock, ConflictError, DomainError } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { Versioned } from '../../../commands/command-store';
import { RetriggerRun } from '../../../commands/usecases/retrigger-run/retrigger-run.usecase';
import { ScheduleEvents } from '../../schedule-events';
import { creatorAuth, failed, fired, firingCommandId, isDue } from '../../schedule-rules';
import { ScheduleStore, type ScheduleState } from '../../schedule-store';

export interface FiringOutcome {
  /** Firings this replica won and that made a command. */
  fired: number;
  /** Firings this replica won that made no command (lastError set). */
  failed: number;
}

/**
 * One tick of a replica (docs/api.md#schedules, ADR 0014): every due schedule is first advanced
 * by compare-and-set, computed from now (so ticks missed while no replica ran fire once), and
 * only the replica whose write won makes the command, with an id derived from the schedule and
 * the fire time, through the same RetriggerRun as `POST /v1/action-runs/{id}/retrigger`, in
 * the name of the schedule's creator.
 */
@Injectable()
export class FireDueSchedules {
  constructor(
    private readonly store: ScheduleStore,
    private readonly events: ScheduleEvents,
    private readonly retrigger: RetriggerRun,
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {}

  async execute(): Promise<FiringOutcome> {
    const now = this.clock.now();
    const outcome: FiringOutcome = { fired: 0, failed: 0 };
    for (const entry of await this.store.list()) {
      if (!isDue(entry.value, now)) continue;
      try {
        const result = await this.fire(entry, now);
        if (result !== 'lost') outcome[result]++;
      } catch (err) {
        // One schedule's trouble (NATS gone mid-write) must not keep the others from firing.
        this.logger.warn({ scheduleId: entry.value.id, error: messageOf(err) }, 'could not fire a schedule');
      }
    }
    return outcome;
  }

  private async fire(entry: Versioned<ScheduleState>, now: number): Promise<'fired' | 'failed' | 'lost'> {
    const s = entry.value;
    const commandId = firingCommandId(s.id, s.nextFireAt as string);
    let won: Versioned<ScheduleState>;
    try {
      won = await this.store.update(entry, fired(s, now, commandId));
    } catch (err) {
      // Another replica fired it, or a caller paused or deleted it meanwhile.
      if (err instanceof ConflictError) return 'lost';
      throw err;
    }
    const auth = creatorAuth(s);
    const error = await this.createCommand(won.value, auth, commandId, now);
    if (error === undefined) {
      await this.events.changed(auth, won);
      return 'fired';
    }
    // Only this firing's own result is overwritten; a caller's later change stays.
    const recorded = await this.store.change(s.id, (current) => (current.lastCommandId === commandId ? failed(current, now, error) : undefined));
    await this.events.changed(auth, recorded?.changed ? recorded.result : won);
    await this.events.firingFailed(auth, failed(won.value, now, error), commandId, error);
    return 'failed';
  }

  /** Makes the firing's command; answers why not when it cannot. */
  private async createCommand(s: ScheduleState, auth: AuthContext, commandId: string, now: number): Promise<string | undefined> {
    try {
      if (!isRoot(auth)) {
        const key = await this.keys.findById(auth.keyId);
        if (!key || isKeyInactive(key.record, now)) return 'the key that created the schedule was revoked or has expired';
      }
      await this.retrigger.execute({ auth, runId: s.runId, runnerId: s.runnerId ?? undefined, reason: s.reason, correlationId: s.correlationId, scheduleId: s.id, commandId });
      return undefined;
    } catch (err) {
      if (err instanceof DomainError) return err.message;
      this.logger.warn({ scheduleId: s.id, error: messageOf(err) }, 'a schedule firing failed unexpectedly');
      return 'the command could not be created (internal error)';
    }
  }
}

/** The message alone: no stack, nothing of a connection string beyond what the error says. */
function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
