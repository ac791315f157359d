import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

// The real agent (the compiled CLI, npm run build) in its own process group, running a
// "polycrate" that takes far longer than the test: the agent is killed while it runs.
const repo = resolve(__dirname, '../..');
const main = join(repo, 'dist/apps/cli/src/main.js');
const LEASE_SECONDS = 15;

jest.setTimeout(120_000);

interface CommandView { id: string; status: string; updatedAt: string; exitCode: number | null; newRunId: string | null; error: string | null }

/**
 * No command left hanging (docs/api.md#re-trigger-commands, ADR 0007): a command whose
 * agent dies while running it is failed, with the reason, once COMMAND_LEASE_SECONDS have
 * passed since the agent's last sign of life; the agent's report, should it come late, is refused.
 */
describe('the lease of a taken command', () => {
  let t: TestStack;
  let key: string;
  let dir: string;
  let agent: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(main)) throw new Error('dist/apps/cli/src/main.js is missing: run npm run build first');
    dir = mkdtempSync(join(tmpdir(), 'runtrail-lease-e2e-'));
    writeFileSync(join(dir, 'slow-polycrate.js'), 'setTimeout(() => undefined, 600_000);\n');
    t = await startTestStack('e2elease', { COMMAND_LEASE_SECONDS: String(LEASE_SECONDS) });
    key = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
  }, 120_000);

  afterAll(async () => {
    // The agent is dead; its command lives on in the group until this.
    if (agent?.pid) {
      try {
        process.kill(-agent.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    }
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const q = <T = Record<string, unknown>>(method: string, path: string, body?: unknown, k = key) => request<T>(method, `${t.queryUrl}${path}`, { key: k, body });

  const commandReaches = (id: string, status: string, timeoutMs: number) =>
    eventually(async () => {
      const c = await q<CommandView>('GET', `/v1/commands/${id}`);
      return c.body.status === status ? c.body : undefined;
    }, timeoutMs, `command ${id} to be ${status}`);

  it('fails a command whose agent was killed mid-run once the lease has passed, says why, and refuses the late report', async () => {
    const runId = randomUUID();
    const run = { id: runId, workspace: { name: 'acme-lease' }, block: { name: 'nginx' }, action: 'deploy', status: 'failed', startedAt: '2026-11-20T10:00:00Z', finishedAt: '2026-11-20T10:01:00Z', exitCode: 1 };
    expect((await request('POST', `${t.ingestUrl}/v1/action-runs`, { key, body: run })).status).toBe(202);
    await eventually(async () => ((await q('GET', `/v1/action-runs/${runId}`)).status === 200 ? true : undefined));
    const runner = (await q<{ id: string; token: string }>('POST', '/v1/runners', { name: 'edge-lease', workspaces: ['acme-lease'] })).body;

    agent = spawn(process.execPath, [main, 'runner', '--token', runner.token, '--exec', `"${process.execPath}" "${join(dir, 'slow-polycrate.js')}" {block}`, '--query-url', t.queryUrl], {
      cwd: repo,
      env: { PATH: process.env.PATH, NATS_URL: t.env.NATS_URL, RUNTRAIL_INGEST_URL: t.ingestUrl, RUNTRAIL_NAMESPACE: t.namespace },
      stdio: 'ignore',
      // Its own group: the command it starts can be cleaned up after the agent is killed.
      detached: true,
    });
    const exited = once(agent, 'exit');
    await eventually(async () => ((await q<{ id: string; online: boolean }[]>('GET', '/v1/runners')).body.find((r) => r.id === runner.id)?.online ? true : undefined), 30_000, 'the agent to be online');

    const { commandId } = (await q<{ commandId: string }>('POST', `/v1/action-runs/${runId}/retrigger`, { runnerId: runner.id })).body;
    const running = await commandReaches(commandId, 'running', 30_000);
    agent.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();

    // A quarter lease between sweeps, and a little for the round itself.
    const failed = await commandReaches(commandId, 'failed', LEASE_SECONDS * 1250 + 5000);
    expect(Date.now() - killedAt).toBeLessThan(LEASE_SECONDS * 1250 + 5000);
    expect(failed).toMatchObject({ status: 'failed', exitCode: null, newRunId: running.newRunId });
    // Not before the lease: it counts from the agent's last word at the earliest.
    expect(Date.parse(failed.updatedAt) - Date.parse(running.updatedAt)).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000);

    const entry = await eventually(async () => {
      const timeline = await q<Record<string, unknown>[]>('GET', `/v1/audit?action=Retrigger&entity_id=${runId}&success=false`);
      return timeline.body[0];
    }, 15_000, 'the failed Retrigger entry');
    expect(entry).toMatchObject({
      entityType: 'ActionRun', success: false, sourceType: 'Application', sourceName: 'runtrail',
      context: { command_id: commandId, runner_id: runner.id, workspace: 'acme-lease', error: `the runner edge-lease stopped heartbeating; lease of ${LEASE_SECONDS} s expired` },
    });
    const why = `the runner edge-lease stopped heartbeating; lease of ${LEASE_SECONDS} s expired`;
    expect(failed.error).toBe(why);
    // The projected record (the list) says why too.
    const listed = await eventually(async () => (await q<CommandView[]>('GET', `/v1/commands?status=failed&run_id=${runId}`)).body[0], 15_000, 'the projected command to be failed');
    expect(listed).toMatchObject({ id: commandId, status: 'failed', error: why });

    // The agent's report, had it lived: refused, and failed stays.
    const late = await request<{ message: string }>('POST', `${t.queryUrl}/v1/commands/${commandId}/status`, { key: runner.token, body: { status: 'succeeded', exitCode: 0 } });
    expect(late.status).toBe(409);
    expect(late.body.message).toBe(`command ${commandId} cannot go from failed to succeeded`);
    expect((await q<CommandView>('GET', `/v1/commands/${commandId}`)).body.status).toBe('failed');

    expect((await request('GET', `${t.queryUrl}/metrics`)).text).toMatch(/^runtrail_command_lease_expiries_total\{service="query"\} 1$/m);
  });
});
