import type { Deployment } from '../api/types';

export interface DeploymentGrid {
  workspaces: string[];
  blocks: string[];
  /** The latest row of each workspace × block, by `${workspace}\u0000${block}`. */
  cells: Map<string, Deployment>;
}

export const cellKey = (workspace: string, block: string) => `${workspace}\u0000${block}`;

/** When a row last happened: its latest finish, or its latest start when none finished. */
export const deployedAt = (d: Pick<Deployment, 'lastFinishedAt' | 'lastStartedAt'>) => d.lastFinishedAt ?? d.lastStartedAt;

/**
 * GET /v1/deployments answers one row per workspace × block × version, most recent first;
 * the grid keeps, for each workspace × block, the version that reached it last.
 */
export function deploymentGrid(rows: readonly Deployment[]): DeploymentGrid {
  const cells = new Map<string, Deployment>();
  for (const row of rows) {
    const key = cellKey(row.workspace, row.block);
    const seen = cells.get(key);
    if (!seen || Date.parse(deployedAt(row)) > Date.parse(deployedAt(seen))) cells.set(key, row);
  }
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b));
  return { workspaces: sorted(rows.map((r) => r.workspace)), blocks: sorted(rows.map((r) => r.block)), cells };
}
