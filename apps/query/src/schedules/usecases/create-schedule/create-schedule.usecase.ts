import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RunnerStore, type AuthContext } from '@runtrail/auth';
import { parseZonedDateTime, scheduleView, type ScheduleView } from '@runtrail/contracts';
import { Clock, InvalidInputError, NotFoundError } from '@runtrail/platform';
import { ActionRunRepository } from '../../../action-runs/action-run.repository';
import { CronSchedule } from '../../cron-schedule';
import { ScheduleEvents } from '../../schedule-events';
import { newSchedule } from '../../schedule-rules';
import { ScheduleStore } from '../../schedule-store';

export interface CreateScheduleCommand {
  auth: AuthContext;
  /** A UUID, in the case the caller wrote it. */
  runId: string;
  cron: string;
  timezone?: string;
  reason: string;
  runnerId?: string;
  until?: string;
  correlationId?: string | null;
}

/**
 * A schedule that re-triggers a stored run (docs/api.md#schedules). It needs no runner now:
 * one may be registered later, and a firing without one is recorded as failed.
 */
@Injectable()
export class CreateSchedule {
  constructor(
    private readonly runs: ActionRunRepository,
    private readonly runners: RunnerStore,
    private readonly store: ScheduleStore,
    private readonly events: ScheduleEvents,
    private readonly clock: Clock,
  ) {}

  async execute(c: CreateScheduleCommand): Promise<ScheduleView> {
    const now = this.clock.now();
    const cron = CronSchedule.parse(c.cron, c.timezone ?? 'UTC');
    const until = c.until === undefined || c.until === null ? null : this.futureUntil(c.until, now);
    // A schedule that can never fire (30 February, or nothing before `until`) is a mistake, not a schedule.
    if (cron.nextAfter(now, until === null ? null : Date.parse(until)) === null) {
      throw new InvalidInputError(until === null ? 'cron never fires' : 'cron does not fire before until');
    }
    const run = await this.runs.findById(c.auth.tenantId, c.runId.toLowerCase());
    if (!run) throw new NotFoundError(`action run ${c.runId} not found`);
    const runnerId = c.runnerId?.toLowerCase() ?? null;
    if (runnerId !== null && (await this.runners.findById(runnerId))?.tenantId !== run.tenantId) throw new NotFoundError(`runner ${c.runnerId} not found`);
    const created = await this.store.create(
      newSchedule({ id: randomUUID(), run, cron, cronText: c.cron, reason: c.reason, runnerId, until, correlationId: c.correlationId ?? null, auth: c.auth, now }),
    );
    await this.events.acted(c.auth, 'Create', created);
    return scheduleView(created.value);
  }

  private futureUntil(value: string, now: number): string {
    const until = parseZonedDateTime(value);
    if (!until) throw new InvalidInputError('until must be an ISO-8601 date-time with zone, e.g. 2027-01-01T00:00:00Z');
    if (until.getTime() <= now) throw new InvalidInputError('until must be in the future');
    return until.toISOString();
  }
}
