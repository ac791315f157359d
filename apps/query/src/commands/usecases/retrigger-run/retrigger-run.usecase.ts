import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { Clock, NotFoundError } from '@runtrail/platform';
import { ActionRunRepository } from '../../../action-runs/action-run.repository';
import { QueryConfig } from '../../../shared/config/query.config';
import { CommandEvents } from '../../command-events';
import { newCommand } from '../../command-lifecycle';
import { CommandStore } from '../../command-store';
import type { RetriggerResultView } from '../../command-views';
import { RunnerChoice } from '../../runner-choice';

export interface RetriggerRunCommand {
  auth: AuthContext;
  /** A UUID, in the case the caller wrote it. */
  runId: string;
  runnerId?: string;
  reason?: string | null;
  correlationId?: string | null;
  /** Set when a schedule fires: the command records it. */
  scheduleId?: string;
  /** The command's id; a new random one by default. A schedule's firing passes one derived from the firing, so it is created once. */
  commandId?: string;
}

/** Runs a stored run again: a command for a runner serving its workspace (ADR 0007). */
@Injectable()
export class RetriggerRun {
  constructor(
    private readonly runs: ActionRunRepository,
    private readonly runners: RunnerChoice,
    private readonly store: CommandStore,
    private readonly events: CommandEvents,
    @Inject(QueryConfig) private readonly config: QueryConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, runId, runnerId, reason, correlationId, scheduleId, commandId }: RetriggerRunCommand): Promise<RetriggerResultView> {
    const run = await this.runs.findById(auth.tenantId, runId.toLowerCase());
    if (!run) throw new NotFoundError(`action run ${runId} not found`);
    const chosen = await this.runners.choose({ tenantId: run.tenantId, workspace: run.workspace.name, runnerId: runnerId?.toLowerCase() });
    const created = await this.store.create(
      newCommand({
        id: commandId ?? randomUUID(),
        run,
        runnerId: chosen.runner.id,
        online: chosen.online,
        reason: reason ?? null,
        scheduleId: scheduleId ?? null,
        // The one place that decides the command's correlation id (CONTRACT §9: the request's, else the original run's).
        correlationId: correlationId ?? run.correlationId,
        requestedBy: auth.principal,
        now: this.clock.now(),
        ttlSeconds: this.config.COMMAND_TTL_SECONDS,
      }),
    );
    await this.events.requested(auth, created);
    const c = created.value;
    return { commandId: c.id, runId: c.runId, runnerId: c.runnerId, status: c.status };
  }
}
