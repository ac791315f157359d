import { describe, expect, it } from 'vitest';
import type { Deployment } from '../api/types';
import { cellKey, deploymentGrid } from './deployments-grid';

const row = (workspace: string, block: string, version: string, finished: string | null, started = '2026-11-01T00:00:00.000Z'): Deployment => ({
  workspace,
  block,
  version,
  from: `reg/${block}:${version}`,
  runs: 1,
  lastRunId: `${workspace}-${block}-${version}`,
  lastStartedAt: started,
  lastFinishedAt: finished,
});

describe('deploymentGrid', () => {
  it('has a row per workspace and a column per block, each cell the version that arrived last', () => {
    const grid = deploymentGrid([
      row('acme-prod', 'nginx', '0.3.1', '2026-11-30T10:00:00.000Z'),
      row('acme-staging', 'redis', '7.2', '2026-11-29T10:00:00.000Z'),
      row('acme-prod', 'nginx', '0.3.0', '2026-11-20T10:00:00.000Z'),
      row('acme-prod', 'redis', '7.0', null, '2026-11-28T10:00:00.000Z'),
    ]);
    expect(grid.workspaces).toEqual(['acme-prod', 'acme-staging']);
    expect(grid.blocks).toEqual(['nginx', 'redis']);
    expect(grid.cells.get(cellKey('acme-prod', 'nginx'))?.version).toBe('0.3.1');
    expect(grid.cells.get(cellKey('acme-prod', 'redis'))?.version).toBe('7.0');
    expect(grid.cells.get(cellKey('acme-staging', 'nginx'))).toBeUndefined();
  });
});
