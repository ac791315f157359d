import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { NotFoundError } from '@runtrail/platform';
import type { ActionRunDetailView } from '../../action-run-views';
import { ActionRunRepository } from '../../action-run.repository';

export interface GetActionRunCommand {
  auth: AuthContext;
  /** A UUID, in the case the caller wrote it. */
  runId: string;
}

/** One run with its re-triggers; another tenant's run is not found, like a missing one. */
@Injectable()
export class GetActionRun {
  constructor(private readonly runs: ActionRunRepository) {}

  async execute({ auth, runId }: GetActionRunCommand): Promise<ActionRunDetailView> {
    const run = await this.runs.findById(auth.tenantId, runId.toLowerCase());
    if (!run) throw new NotFoundError(`action run ${runId} not found`);
    return { ...run, retriggers: await this.runs.retriggersOf(run.tenantId, run.id) };
  }
}
