import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { EventPublisher } from '@runtrail/messaging';
import type { Versioned } from '../commands/command-store';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import { scheduleFact } from './schedule-rules';
import type { ScheduleState } from './schedule-store';

/** What the stream learns of a schedule: each state as a fact, and the acts on it in the timeline. */
@Injectable()
export class ScheduleEvents {
  constructor(
    private readonly publisher: EventPublisher,
    private readonly timeline: TimelineRecorder,
  ) {}

  /** Every change is a fact in the stream, with the revision that orders it (the projector keeps the list). */
  async changed(auth: AuthContext, { value: s, revision }: Versioned<ScheduleState>): Promise<void> {
    await this.publisher.publishEvents({ kind: 'schedule', tenantId: s.tenantId, submitter: auth.principal, receivedAt: s.updatedAt }, [scheduleFact(s, revision)]);
  }

  /** A change by a caller (created, paused, resumed, deleted): the fact and the timeline entry. */
  async acted(auth: AuthContext, action: 'Create' | 'Pause' | 'Resume' | 'Delete', changed: Versioned<ScheduleState>): Promise<void> {
    await this.changed(auth, changed);
    const s = changed.value;
    await this.timeline.record(auth, {
      tenantId: s.tenantId,
      action,
      entityType: 'Schedule',
      entityId: s.id,
      entityName: s.entityName,
      at: s.updatedAt,
      context: { run_id: s.runId, cron: s.cron, timezone: s.timezone },
    });
  }

  /** A firing that made no command: a failed Retrigger entry in the run's timeline, in the creator's name. */
  async firingFailed(auth: AuthContext, s: ScheduleState, commandId: string, error: string): Promise<void> {
    await this.timeline.record(auth, {
      tenantId: s.tenantId,
      action: 'Retrigger',
      entityType: 'ActionRun',
      entityId: s.runId,
      entityName: s.entityName,
      // The id the command would have had: a retried record of this failure stays one entry.
      eventId: commandId,
      at: s.updatedAt,
      success: false,
      context: { schedule_id: s.id, reason: s.reason, error, ...(s.runnerId ? { runner_id: s.runnerId } : {}) },
    });
  }
}
