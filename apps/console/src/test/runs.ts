import type { ActionRun, ActionRunDetail } from '../api/types';

/** A finished run of nginx 0.3.1 in acme-prod, reported by a CI key; override what a spec needs. */
export function actionRun(overrides: Partial<ActionRun> = {}): ActionRun {
  return {
    id: '1b9f3c52-5a4e-4c1e-9f2a-2f6d8b1c0a01',
    tenantId: 'acme',
    workspace: { name: 'acme-prod', organization: 'acme' },
    block: { name: 'nginx', from: 'registry/acme/nginx:0.3.1', version: '0.3.1' },
    action: 'deploy',
    status: 'successful',
    startedAt: '2026-11-30T10:00:00.000Z',
    finishedAt: '2026-11-30T10:01:05.000Z',
    durationMs: 65_000,
    exitCode: 0,
    cliVersion: '1.4.0',
    hostname: 'ci-7',
    osUser: 'gitlab',
    sourceType: 'Application',
    sourceId: 'k1',
    sourceName: 'gitlab-ci',
    retriggeredFrom: null,
    commandId: null,
    receivedAt: '2026-11-30T10:00:00.100Z',
    updatedAt: '2026-11-30T10:01:05.100Z',
    correlationId: null,
    ...overrides,
  };
}

/** The same run as `GET /v1/action-runs/{id}` answers it, with its re-triggers. */
export function actionRunDetail(overrides: Partial<ActionRunDetail> = {}): ActionRunDetail {
  return { ...actionRun(), retriggers: [], ...overrides };
}
