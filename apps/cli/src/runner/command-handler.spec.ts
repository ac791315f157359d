import { generateCommandSigningKeys, signCommand, type CommandPayload } from '@runtrail/contracts';
import type { CommandOutcome, RunningCommand } from './command-executor';
import type { ConsumedMessage, Settlement } from '@runtrail/messaging';
import { CommandHandler } from './command-handler';
import type { ApiAnswer, RunnerClient } from '@runtrail/client';
import { runnerSession } from '../../test/runner-session.fixture';

const keys = generateCommandSigningKeys();

const session = runnerSession(keys.publicKeyPem);

function payload(overrides: Partial<CommandPayload> = {}): CommandPayload {
  return {
    v: 1,
    commandId: '7b0c5c1e-1111-4a4a-8888-000000000001',
    tenantId: 'acme',
    runnerId: 'runner-1',
    runId: '7b0c5c1e-2222-4a4a-8888-000000000002',
    workspace: 'acme-prod',
    block: 'nginx',
    action: 'deploy',
    reason: null,
    requestedAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    ...overrides,
  };
}

function message(text: string): ConsumedMessage {
  return { seq: 1, subject: 'ns.evt.acme.cmd.runner-1', data: Buffer.from(text) };
}

function setup(accept: () => Promise<ApiAnswer>, outcome: CommandOutcome = { exitCode: 0 }) {
  const lines: string[] = [];
  const started: string[][] = [];
  const reports: { kind: string; body: unknown }[] = [];
  const api = {
    accept: jest.fn(accept),
    reportRun: jest.fn(async (body: unknown) => {
      reports.push({ kind: 'run', body });
      return { status: 202, body: undefined };
    }),
    reportStatus: jest.fn(async (_id: string, body: unknown) => {
      reports.push({ kind: 'status', body });
      return { status: 204, body: undefined };
    }),
  } as unknown as RunnerClient;
  const refused: string[] = [];
  const handler = new CommandHandler({
    api,
    session,
    execWords: ['polycrate', 'run', '{block}', '{action}', '--from={run_id}'],
    host: { hostname: 'host-1', osUser: 'deploy', cliVersion: '9.9.9' },
    log: (line) => lines.push(line),
    onRefused: (m) => refused.push(m),
    start: (argv): RunningCommand => {
      started.push([...argv]);
      return { done: Promise.resolve(outcome), kill: () => undefined };
    },
  });
  return { handler, api, lines, started, reports, refused };
}

const ok = async (): Promise<ApiAnswer> => ({ status: 200, body: {} });

describe('CommandHandler', () => {
  it('runs a genuine command once and reports the new run and the status around it, then acks', async () => {
    const { handler, started, reports, lines } = setup(ok);
    const p = payload();
    expect(await handler.handle(message(JSON.stringify(signCommand(p, keys.privateKeyPem))))).toBe('ack');
    expect(started).toEqual([['polycrate', 'run', 'nginx', 'deploy', `--from=${p.runId}`]]);
    expect(lines).toEqual([
      `command ${p.commandId} accepted (re-running run ${p.runId}): polycrate run nginx deploy --from=${p.runId}`,
      `command ${p.commandId} finished with exit code 0`,
    ]);
    const [start, running, end, succeeded] = reports;
    const newRunId = (start.body as { id: string }).id;
    expect(start).toEqual({
      kind: 'run',
      body: {
        id: newRunId, workspace: { name: 'acme-prod' }, block: { name: 'nginx' }, action: 'deploy', status: 'running',
        startedAt: expect.any(String), hostname: 'host-1', osUser: 'deploy', cliVersion: '9.9.9', retriggeredFrom: p.runId, commandId: p.commandId,
      },
    });
    expect(running).toEqual({ kind: 'status', body: { status: 'running', newRunId } });
    expect(end.body).toMatchObject({ id: newRunId, status: 'successful', exitCode: 0, finishedAt: expect.any(String), startedAt: (start.body as { startedAt: string }).startedAt });
    expect(succeeded).toEqual({ kind: 'status', body: { status: 'succeeded', exitCode: 0, newRunId } });
  });

  it("reports the new run with the payload's block reference, version and correlation id, in both run reports", async () => {
    const { handler, reports } = setup(ok);
    const p = payload({ blockFrom: 'registry.example/infra/nginx:0.3.1', blockVersion: '0.3.1', correlationId: 'gh-9876543210' });
    expect(await handler.handle(message(JSON.stringify(signCommand(p, keys.privateKeyPem))))).toBe('ack');
    const runs = reports.filter((r) => r.kind === 'run').map((r) => r.body);
    expect(runs).toHaveLength(2);
    for (const body of runs) {
      expect(body).toMatchObject({
        block: { name: 'nginx', from: 'registry.example/infra/nginx:0.3.1', version: '0.3.1' },
        correlationId: 'gh-9876543210',
        retriggeredFrom: p.runId,
        commandId: p.commandId,
      });
    }
  });

  it('leaves out what the payload has as null: the block name alone, no correlation id', async () => {
    const { handler, reports } = setup(ok);
    const p = payload({ blockFrom: null, blockVersion: '0.3.1', correlationId: null });
    await handler.handle(message(JSON.stringify(signCommand(p, keys.privateKeyPem))));
    const runs = reports.filter((r) => r.kind === 'run').map((r) => r.body as Record<string, unknown>);
    expect(runs.map((body) => body.block)).toEqual([
      { name: 'nginx', version: '0.3.1' },
      { name: 'nginx', version: '0.3.1' },
    ]);
    for (const body of runs) expect(body).not.toHaveProperty('correlationId');
  });

  it('reports a non-zero exit as a failed run and a failed command', async () => {
    const { handler, reports } = setup(ok, { exitCode: 143 });
    await handler.handle(message(JSON.stringify(signCommand(payload(), keys.privateKeyPem))));
    expect(reports[2].body).toMatchObject({ status: 'failed', exitCode: 143 });
    expect(reports[3].body).toMatchObject({ status: 'failed', exitCode: 143 });
  });

  it.each<[string, () => string, Settlement, RegExp]>([
    ['signed with another key', () => JSON.stringify(signCommand(payload(), generateCommandSigningKeys().privateKeyPem)), 'term', /rejected \(bad-signature\)/],
    ['tampered after signing', () => {
      const signed = signCommand(payload(), keys.privateKeyPem);
      return JSON.stringify({ ...signed, payload: { ...signed.payload, block: 'evil' } });
    }, 'term', /rejected \(bad-signature\)/],
    ['for another runner', () => JSON.stringify(signCommand(payload({ runnerId: 'runner-2' }), keys.privateKeyPem)), 'term', /rejected \(wrong-runner\)/],
    ['for another tenant', () => JSON.stringify(signCommand(payload({ tenantId: 'globex' }), keys.privateKeyPem)), 'term', /rejected \(wrong-tenant\)/],
    ['expired', () => JSON.stringify(signCommand(payload({ expiresAt: new Date(Date.now() - 1000).toISOString() }), keys.privateKeyPem)), 'term', /rejected \(expired\)/],
    ['for a workspace the runner does not serve', () => JSON.stringify(signCommand(payload({ workspace: 'acme-dev' }), keys.privateKeyPem)), 'term', /rejected \(wrong-workspace\)/],
    ['malformed', () => JSON.stringify({ payload: { v: 2 }, signature: 'x' }), 'term', /rejected \(malformed\)/],
    ['not JSON', () => '{nope', 'term', /not JSON \(malformed\)/],
  ])('never runs or accepts a command %s: it terminates the message', async (_name, text, settlement, line) => {
    const { handler, api, started, lines } = setup(ok);
    expect(await handler.handle(message(text()))).toEqual(settlement);
    expect(started).toEqual([]);
    expect(api.accept).not.toHaveBeenCalled();
    expect(lines).toEqual([expect.stringMatching(line)]);
  });

  it.each<[string, () => Promise<ApiAnswer>, Settlement]>([
    ['409 (taken, expired or done): acks', async () => ({ status: 409, body: { message: 'command x was already succeeded' } }), 'ack'],
    ['404: terminates', async () => ({ status: 404, body: { message: 'not found' } }), 'term'],
    ['5xx: gives it back for 5 s', async () => ({ status: 503, body: { message: 'down' } }), { nakDelayMs: 5000 }],
    ['a network error: gives it back for 5 s', async () => Promise.reject(new Error('fetch failed')), { nakDelayMs: 5000 }],
  ])('when accept answers %s, never running it', async (_name, accept, settlement) => {
    const { handler, started, reports } = setup(accept);
    expect(await handler.handle(message(JSON.stringify(signCommand(payload(), keys.privateKeyPem))))).toEqual(settlement);
    expect(started).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('still runs and acks when the reports fail, saying so in one line each', async () => {
    const { handler, api, started, lines } = setup(ok);
    (api.reportRun as jest.Mock).mockRejectedValue(new Error('fetch failed'));
    (api.reportStatus as jest.Mock).mockResolvedValue({ status: 503, body: { message: 'down' } });
    expect(await handler.handle(message(JSON.stringify(signCommand(payload(), keys.privateKeyPem))))).toBe('ack');
    expect(started).toHaveLength(1);
    expect(lines.filter((l) => l.includes('failed: '))).toHaveLength(4);
  });
});
