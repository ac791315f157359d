import { auditEvent, eventually, startTestStack, type TestStack } from '@runtrail/testing';
import { randomUUID } from 'node:crypto';
import { RuntrailApiError, RuntrailClient } from '../src';

/** The client against the real services. */
describe('RuntrailClient', () => {
  let t: TestStack;
  let client: RuntrailClient;

  beforeAll(async () => {
    t = await startTestStack('client');
    const apiKey = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage']);
    client = new RuntrailClient({ ingestUrl: t.ingestUrl, queryUrl: t.queryUrl, apiKey });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('batches large submissions, gives every event an id, and a re-send stores nothing twice', async () => {
    const events = Array.from({ length: 2345 }, (_, i) => {
      const { eventId: _omit, ...rest } = auditEvent({ entityId: `c-${i}` });
      return rest;
    });
    const sent = await client.submitAuditEvents(events);
    expect(sent.accepted).toBe(2345);
    expect(new Set(sent.eventIds).size).toBe(2345);
    // the caller retries with the ids it got back: idempotent
    await client.submitAuditEvents(events.map((e, i) => ({ ...e, eventId: sent.eventIds[i] })));
    await eventually(async () => ((await client.listAuditEvents({ action: 'Update', limit: 1000, offset: 2000 })).items.length === 345 ? true : undefined), 30_000);
    // action=Update: the events sent here, not the service's entry for the key's creation
    const first = await client.listAuditEvents({ action: 'Update', limit: 1000 });
    const all: string[] = [];
    for await (const r of client.all(first)) all.push(r.eventId);
    expect(all).toHaveLength(2345);
    expect(new Set(all)).toEqual(new Set(sent.eventIds));
  });

  it('submits runs, reads them back, and surfaces API errors as RuntrailApiError', async () => {
    const id = randomUUID();
    await client.submitActionRuns([
      { id, workspace: { name: 'acme-prod' }, block: { name: 'nginx' }, action: 'deploy', status: 'failed', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:01:00Z', exitCode: 1 },
    ]);
    const run = await eventually(async () => client.getActionRun(id).catch(() => undefined));
    expect(run).toMatchObject({ id, status: 'failed', retriggers: [] });
    await expect(client.retrigger(id)).rejects.toMatchObject({ status: 409 });
    await expect(client.getActionRun('not-a-uuid')).rejects.toBeInstanceOf(RuntrailApiError);
    const runner = await client.registerRunner({ name: 'r', workspaces: ['acme-prod'] });
    const command = await client.retrigger(id, { reason: 'sdk' });
    expect(command).toMatchObject({ runId: id, runnerId: runner.id, status: 'queued' });
    expect(await client.getCommand(command.commandId)).toMatchObject({ status: 'queued', reason: 'sdk' });
  });
});
