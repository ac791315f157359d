import { describe, expect, it } from 'vitest';
import { readRunsState, runsFilterQuery, runsPageQuery, writeRunsState, type RunsState } from './run-filters';

describe('runs URL state', () => {
  it('round-trips every filter of GET /v1/action-runs under its API name', () => {
    const state: RunsState = {
      filters: {
        block: 'nginx',
        action: 'deploy',
        status: 'failed',
        workspace: 'acme-prod',
        hostname: 'ci-7',
        organization: 'acme',
        block_from: 'registry/acme/nginx',
        block_version: '0.3.1',
        exit_code: '2',
        os_user: 'gitlab',
        cli_version: '1.4.0',
        source_name: 'gitlab-ci',
        retriggered_from: '0d2e4c6a-1111-4222-8333-944455566677',
        correlation_id: 'pipeline 4711',
      },
      time: { range: '7d', start: '2026-11-23T12:00:00Z' },
      cursor: 'c',
      limit: 100,
    };
    const params = writeRunsState(state);
    expect(readRunsState(params)).toEqual({ ...state, time: { ...state.time, end: undefined } });
    expect(runsPageQuery(state)).toEqual({ ...state.filters, start: '2026-11-23T12:00:00Z', limit: '100', cursor: 'c' });
  });

  it('leaves out empty filters and keeps other keys', () => {
    const params = writeRunsState({ filters: { block: '  ', action: 'deploy' }, time: { range: 'any' } }, new URLSearchParams('interval=week&block=old'));
    expect(params.toString()).toBe('interval=week&action=deploy');
    expect(runsFilterQuery(readRunsState(params))).toEqual({ action: 'deploy' });
  });
});
