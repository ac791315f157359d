import { Injectable } from '@nestjs/common';
import { TenantReader, deploymentPage, type Deployment, type RunFilter } from '@runtrail/persistence';
import type { CursorPosition } from '../shared/paging/cursor-codec';
import type { KeysetSource } from '../shared/paging/keyset-pages';

/** "What version is deployed where" as a keyset list, inside the caller's tenant. */
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
