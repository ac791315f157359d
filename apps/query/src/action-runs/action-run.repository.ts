import { Injectable } from '@nestjs/common';
import type { ActionRunRecord } from '@runtrail/contracts';
import {
  TenantReader,
  actionRunById,
  actionRunPage,
  actionRunStats,
  deploymentPage,
  type Deployment,
  type RunFilter,
  type RunStatsBucket,
  type RunStatsGroup,
  type RunStatsInterval,
} from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** Action runs as a keyset list, by id, and aggregated; always inside the caller's tenant (null: the root key). */
@Injectable()
export class ActionRunRepository implements KeysetSource<RunFilter, ActionRunRecord> {
  readonly name = 'action-runs';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<ActionRunRecord[]> {
    return this.db.read(tenantId, actionRunPage(tenantId, f, { limit, offset, after }));
  }

  positionOf(r: ActionRunRecord): CursorPosition {
    return { t: r.startedAt, i: r.id };
  }

  async findById(tenantId: string | null, id: string): Promise<ActionRunRecord | undefined> {
    const [run] = await this.db.read(tenantId, actionRunById(tenantId, id));
    return run;
  }

  stats(tenantId: string | null, f: RunFilter, interval: RunStatsInterval, groupBy?: RunStatsGroup): Promise<RunStatsBucket[]> {
    return this.db.read(tenantId, actionRunStats(tenantId, f, interval, groupBy));
  }
}

/** "What version is deployed where" as a keyset list. */
@Injectable()
export class DeploymentRepository implements KeysetSource<RunFilter, Deployment> {
  readonly name = 'deployments';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<Deployment[]> {
    return this.db.read(tenantId, deploymentPage(tenantId, f, { limit, offset, after }));
  }

  positionOf(d: Deployment): CursorPosition {
    return { t: d.lastFinishedAt ?? d.lastStartedAt, i: d.lastRunId };
  }
}
