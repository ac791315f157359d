import { Injectable } from '@nestjs/common';
import { TenantReader, aggregatedDeploymentPage, deploymentPage, type Deployment, type RunFilter } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** "What version is deployed where" as a keyset list, inside the caller's tenant. */
@Injectable()
export class DeploymentRepository implements KeysetSource<RunFilter, Deployment> {
  readonly name = 'deployments';

  constructor(private readonly db: TenantReader) {}

  fetch(tenantId: string | null, f: RunFilter, limit: number, offset: number, after?: CursorPosition): Promise<Deployment[]> {
    const page = { limit, offset, after };
    // The maintained aggregate (docs/adr/0024); the runs themselves for a filter it is not split by.
    return this.db.read(tenantId, aggregatedDeploymentPage(tenantId, f, page) ?? deploymentPage(tenantId, f, page));
  }

  positionOf(d: Deployment): CursorPosition {
    return { t: d.lastFinishedAt ?? d.lastStartedAt, i: d.lastRunId };
  }
}
