import { Injectable } from '@nestjs/common';
import { RunnerStore, isOnline, type RunnerPresence, type RunnerRecord } from '@runtrail/auth';
import { Clock, ConflictError, NotFoundError } from '@runtrail/platform';

/** Which runner a re-trigger asks for: a named one (id in lower case), or any that fits. */
export interface RunnerWanted {
  tenantId: string;
  workspace: string;
  runnerId?: string;
}

export interface ChosenRunner {
  runner: RunnerRecord;
  online: boolean;
}

/**
 * The runners of the tenant that serve the workspace (by name or `*`): of the named
 * runner alone when there is one (404 when it is not the tenant's), else of all
 * `candidates`; 409 when none serves it.
 */
export function servingRunners(candidates: readonly (RunnerRecord | undefined)[], w: RunnerWanted): RunnerRecord[] {
  const ofTenant = candidates.filter((r): r is RunnerRecord => r?.tenantId === w.tenantId);
  if (w.runnerId !== undefined && ofTenant.length === 0) throw new NotFoundError(`runner ${w.runnerId} not found`);
  const serving = ofTenant.filter((r) => r.workspaces.includes('*') || r.workspaces.includes(w.workspace));
  if (serving.length === 0) {
    throw new ConflictError(
      w.runnerId === undefined
        ? `no runner of tenant ${w.tenantId} serves workspace ${w.workspace}; register one with POST /v1/runners`
        : `runner ${w.runnerId} does not serve workspace ${w.workspace}`,
    );
  }
  return serving;
}

/** Online first, then the most recently seen, then the most recently registered. */
export function preferredRunner(serving: readonly { runner: RunnerRecord; presence?: RunnerPresence }[], now: number): ChosenRunner {
  const ranked = serving
    .map(({ runner, presence }) => ({ runner, online: isOnline(presence, now), seenAt: presence ? Date.parse(presence.lastSeenAt) : 0 }))
    .sort((a, b) => Number(b.online) - Number(a.online) || b.seenAt - a.seenAt || b.runner.createdAt.localeCompare(a.runner.createdAt));
  return { runner: ranked[0].runner, online: ranked[0].online };
}

/** Reads the runners and their presence, and applies the rules above. */
@Injectable()
export class RunnerChoice {
  constructor(
    private readonly runners: RunnerStore,
    private readonly clock: Clock,
  ) {}

  async choose(w: RunnerWanted): Promise<ChosenRunner> {
    const candidates = w.runnerId === undefined ? await this.runners.list() : [await this.runners.findById(w.runnerId)];
    const serving = servingRunners(candidates, w);
    const withPresence = await Promise.all(serving.map(async (runner) => ({ runner, presence: await this.runners.presence(runner.id) })));
    return preferredRunner(withPresence, this.clock.now());
  }
}
