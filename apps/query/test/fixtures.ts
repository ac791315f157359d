import type { ApiKeyRecord, AuthContext, RunnerPresence, RunnerRecord } from '@runtrail/auth';
import { SCOPES, type ActionRunRecord, type AuditRecord, type Scope } from '@runtrail/contracts';
import { newCommand } from '../src/commands/command-lifecycle';
import type { CommandState } from '../src/commands/command-store';

/** Plain records and callers for the unit specs; every field can be overridden. */

export function tenantAuth(tenantId = 'acme', scopes: readonly Scope[] = SCOPES): AuthContext {
  return { keyId: `key-of-${tenantId}`, tenantId, principal: { type: 'Application', id: `key-of-${tenantId}`, name: 'operator' }, scopes };
}

export const ROOT_AUTH: AuthContext = { keyId: 'root', tenantId: null, principal: { type: 'Application', id: 'root', name: 'root' }, scopes: SCOPES };

export function runnerAuth(runner: Pick<RunnerRecord, 'id' | 'tenantId' | 'name'>): AuthContext {
  return { keyId: runner.id, tenantId: runner.tenantId, principal: { type: 'Application', id: runner.id, name: runner.name }, scopes: ['events:write'], runnerId: runner.id };
}

export function actionRun(over: Partial<ActionRunRecord> = {}): ActionRunRecord {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    tenantId: 'acme',
    workspace: { name: 'acme-prod', organization: null },
    block: { name: 'nginx', from: null, version: null },
    action: 'deploy',
    status: 'failed',
    startedAt: '2026-03-01T09:00:00.000Z',
    finishedAt: '2026-03-01T09:01:00.000Z',
    durationMs: 60_000,
    exitCode: 1,
    cliVersion: null,
    hostname: null,
    osUser: null,
    sourceType: 'Application',
    sourceId: 'key-of-acme',
    sourceName: 'ci',
    retriggeredFrom: null,
    commandId: null,
    receivedAt: '2026-03-01T09:01:00.000Z',
    updatedAt: '2026-03-01T09:01:00.000Z',
    correlationId: null,
    ...over,
  };
}

export function runnerRecord(over: Partial<RunnerRecord> = {}): RunnerRecord {
  return { id: '22222222-2222-4222-8222-222222222222', tenantId: 'acme', name: 'runner', workspaces: ['acme-prod'], createdAt: '2026-02-01T00:00:00.000Z', ...over };
}

export function presence(lastSeenAt: string, state: RunnerPresence['state'] = 'online'): RunnerPresence {
  return { lastSeenAt, state, hostname: null, version: null };
}

export function apiKeyRecord(over: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  return {
    id: '33333333-3333-4333-8333-333333333333',
    tenantId: 'acme',
    name: 'ci',
    principalType: 'Application',
    scopes: ['events:write'],
    createdAt: '2026-02-01T00:00:00.000Z',
    revokedAt: null,
    ...over,
  };
}

/** A command waiting for its runner, as RetriggerRun creates it. */
export function waitingCommand(over: Partial<CommandState> = {}): CommandState {
  return {
    ...newCommand({
      id: '77777777-7777-4777-8777-777777777777',
      run: actionRun(),
      runnerId: runnerRecord().id,
      online: true,
      reason: null,
      scheduleId: null,
      correlationId: null,
      requestedBy: { type: 'User', id: 'k1', name: 'alice' },
      now: Date.parse('2026-03-01T10:00:00.000Z'),
      ttlSeconds: 3600,
    }),
    ...over,
  };
}

/** A timeline record as a stream delivers it. */
export function auditRecord(over: Partial<AuditRecord> = {}): AuditRecord {
  return {
    id: 42_000,
    eventId: '0b9d6a52-3f4e-4c1a-9a57-5b2f0e7c1d11',
    tenantId: 'acme',
    happenedAt: '2026-03-01T10:15:30.000Z',
    action: 'user.login',
    version: '1',
    entityType: 'User',
    entityId: 'u-1',
    entityName: 'Ada',
    sourceType: 'User',
    sourceId: 'u-1',
    sourceName: 'Ada Lovelace',
    success: true,
    context: {},
    receivedAt: '2026-03-01T10:15:31.000Z',
    changes: null,
    correlationId: null,
    ...over,
  };
}
