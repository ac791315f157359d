import type { RunFilter } from '@runtrail/persistence';
import { runSelection, runStatuses } from '../action-runs/action-run-filter';
import type { DeploymentQueryDto } from './deployment-query.dto';

/** Deployments count successful runs unless told otherwise. */
export function toDeploymentFilter(q: DeploymentQueryDto): RunFilter {
  return { ...runSelection(q), statuses: runStatuses(q.status ?? 'successful') };
}
