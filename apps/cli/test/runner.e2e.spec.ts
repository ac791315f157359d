import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { generateCommandSigningKeys, parseNatsServers, signCommand, type SignedCommand } from '@runtrail/contracts';
import { NatsServerProcess, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

// The real agent, as a user starts it: the compiled CLI (npm run build), its own process,
// talking to the real services over HTTP and to the real NATS, running a fake "polycrate"
// that records its argument vector.
const repo = resolve(__dirname, '../../..');
const main = join(repo, 'dist/apps/cli/src/main.js');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

jest.setTimeout(120_000);

const FAKE_POLYCRATE = `
const { appendFileSync } = require('node:fs');
appendFileSync(process.env.FAKE_POLYCRATE_LOG, JSON.stringify(process.argv.slice(2)) + '\\n');
const code = Number(process.env.FAKE_POLYCRATE_EXIT || 0);
const sleep = Number(process.env.FAKE_POLYCRATE_SLEEP_MS || 0);
if (sleep > 0) setTimeout(() => process.exit(code), sleep);
else process.exit(code);
`;

interface RunnerView { id: string; name: string; online: boolean; hostname: string | null; version: string | null }
interface CommandView { id: string; runId: string; runnerId: string; status: string; newRunId: string | null; exitCode: number | null; reason: string | null }
interface RunView {
  id: string;
  status: string;
  exitCode: number | null;
  workspace: { name: string };
  block: { name: string };
  action: string;
  retriggeredFrom: string | null;
  commandId: string | null;
  hostname: string | null;
  osUser: string | null;
  cliVersion: string | null;
  sourceName: string;
  retriggers?: { commandId: string; status: string; newRunId: string | null }[];
}
interface RetriggerAnswer { commandId: string; runId: string; runnerId: string; status: string }
interface Registered { id: string; token: string }

let dir: string;
let script: string;

beforeAll(() => {
  if (!existsSync(main)) throw new Error('dist/apps/cli/src/main.js is missing: run npm run build first');
  dir = mkdtempSync(join(tmpdir(), 'runtrail-runner-e2e-'));
  script = join(dir, 'fake-polycrate.js');
  writeFileSync(script, FAKE_POLYCRATE);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** One `runtrail runner` process. */
class Agent {
  stderr = '';
  stdout = '';
  readonly exited: Promise<number | null>;
  readonly log: string;

  constructor(readonly child: ChildProcess, log: string) {
    this.log = log;
    child.stdout?.on('data', (d: Buffer) => (this.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  /** The argument vectors the fake polycrate received, one per run. */
  runs(): string[][] {
    if (!existsSync(this.log)) return [];
    return readFileSync(this.log, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as string[]);
  }

  running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, and the exit code. */
  async stop(): Promise<number | null> {
    if (this.running()) this.child.kill('SIGTERM');
    return this.exited;
  }

  async waitFor(text: string | RegExp, timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => ((typeof text === 'string' ? this.stderr.includes(text) : text.test(this.stderr)) ? true : undefined),
      timeoutMs,
      `agent stderr to show ${String(text)}; it has:\n${this.stderr}`,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- agent stderr ---\n${this.stderr}`);
    });
  }
}

const agents: Agent[] = [];

afterEach(async () => {
  await Promise.all(agents.splice(0).map((a) => a.stop()));
});

function startAgent(t: TestStack, token: string, env: Record<string, string> = {}): Agent {
  const log = join(dir, `runs-${randomUUID()}.jsonl`);
  const child = spawn(
    process.execPath,
    [main, 'runner', '--token', token, '--exec', `"${process.execPath}" "${script}" {block} {action} {run_id}`, '--query-url', t.queryUrl],
    {
      cwd: repo,
      // The query URL as a flag, the rest from the environment.
      env: {
        PATH: process.env.PATH,
        NATS_URL: t.env.NATS_URL,
        RUNTRAIL_INGEST_URL: t.ingestUrl,
        RUNTRAIL_NAMESPACE: t.namespace,
        FAKE_POLYCRATE_LOG: log,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const agent = new Agent(child, log);
  agents.push(agent);
  return agent;
}

/** The stack's own NATS client, for reading and publishing on a runner's subject. */
async function withNats<T>(t: TestStack, fn: (nc: NatsConnection) => Promise<T>): Promise<T> {
  const nc = await connect(parseNatsServers([t.env.NATS_URL as string]));
  try {
    return await fn(nc);
  } finally {
    await nc.close();
  }
}

function helpers(t: TestStack, key: () => string) {
  const register = async (name: string, workspaces: string[], k = key()): Promise<Registered> => {
    const res = await request<Registered>('POST', `${t.queryUrl}/v1/runners`, { key: k, body: { name, workspaces } });
    if (res.status !== 201) throw new Error(`runner registration: ${res.status} ${res.text}`);
    return res.body;
  };

  /** A failed run, posted to ingest and readable from query. */
  const failedRun = async (workspace = 'acme-prod', block = 'nginx', action = 'deploy', k = key(), extra: Record<string, unknown> = {}): Promise<string> => {
    const id = randomUUID();
    const started = new Date(Date.now() - 60_000);
    const res = await request('POST', `${t.ingestUrl}/v1/action-runs`, {
      key: k,
      body: {
        id, workspace: { name: workspace }, block: { name: block }, action, status: 'failed',
        startedAt: started.toISOString(), finishedAt: new Date(started.getTime() + 5000).toISOString(), exitCode: 2,
        ...extra,
      },
    });
    if (res.status !== 202) throw new Error(`run report: ${res.status} ${res.text}`);
    await eventually(async () => ((await request('GET', `${t.queryUrl}/v1/action-runs/${id}`, { key: k })).status === 200 ? true : undefined), 30_000, `run ${id} to be stored`);
    return id;
  };

  const retrigger = (runId: string, reason = 'registry timeout', k = key(), extra: Record<string, unknown> = {}) =>
    request<RetriggerAnswer>('POST', `${t.queryUrl}/v1/action-runs/${runId}/retrigger`, { key: k, body: { reason, ...extra } });

  const command = async (id: string, k = key()): Promise<CommandView> => {
    const res = await request<CommandView>('GET', `${t.queryUrl}/v1/commands/${id}`, { key: k });
    if (res.status !== 200) throw new Error(`GET command: ${res.status} ${res.text}`);
    return res.body;
  };

  const commandReaches = (id: string, statuses: string[], k = key()) =>
    eventually(async () => {
      const c = await command(id, k);
      return statuses.includes(c.status) ? c : undefined;
    }, 60_000, `command ${id} to reach ${statuses.join('|')}`);

  const online = (runnerId: string, k = key()) =>
    eventually(async () => {
      const list = (await request<RunnerView[]>('GET', `${t.queryUrl}/v1/runners`, { key: k })).body;
      const r = list.find((x) => x.id === runnerId);
      return r?.online ? r : undefined;
    }, 30_000, `runner ${runnerId} to be online`);

  const consumerIdle = (runnerId: string) =>
    eventually(
      () =>
        withNats(t, async (nc) => {
          const info = await (await jetstreamManager(nc)).consumers.info(`${t.namespace}-events`, `${t.namespace}-runner-${runnerId}`);
          return info.num_pending === 0 && info.num_ack_pending === 0 ? info : undefined;
        }),
      30_000,
      `consumer of runner ${runnerId} to have nothing pending`,
    );

  return { register, failedRun, retrigger, command, commandReaches, online, consumerIdle };
}

describe('runtrail runner against the real services', () => {
  let t: TestStack;
  let operator: string;
  let acme: Registered;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await startTestStack('cliagent');
    operator = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
    h = helpers(t, () => operator);
    acme = await h.register('acme-ci', ['acme-prod']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await t?.stop();
  }, 60_000);

  it('re-runs a failed run once, links the new run to the old one, and stops cleanly', async () => {
    const oldRun = await h.failedRun();
    const agent = startAgent(t, acme.token);
    const seen = await h.online(acme.id);
    expect(seen).toMatchObject({ hostname: hostname(), version });

    const res = await h.retrigger(oldRun);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ runId: oldRun, runnerId: acme.id, status: 'dispatched' });
    const { commandId } = res.body;

    const done = await h.commandReaches(commandId, ['succeeded', 'failed', 'expired']);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, reason: 'registry timeout', newRunId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(agent.runs()).toEqual([['nginx', 'deploy', oldRun]]);
    expect(agent.stderr).toContain(`command ${commandId} accepted (re-running run ${oldRun}): `);
    // the agent reports the command's end first, then logs it: the log line may come a moment after the status
    await agent.waitFor(`command ${commandId} finished with exit code 0`);
    expect(agent.stderr).not.toContain(acme.token);

    const newRuns = await eventually(async () => {
      const r = await request<RunView[]>('GET', `${t.queryUrl}/v1/action-runs?retriggered_from=${oldRun}`, { key: operator });
      return r.body.length === 1 && r.body[0].status === 'successful' ? r.body : undefined;
    }, 30_000, 'the new run to be stored as successful');
    expect(newRuns[0]).toMatchObject({
      id: done.newRunId, retriggeredFrom: oldRun, commandId, status: 'successful', exitCode: 0,
      workspace: { name: 'acme-prod' }, block: { name: 'nginx' }, action: 'deploy',
      hostname: hostname(), cliVersion: version, sourceName: 'acme-ci',
    });

    const old = await eventually(async () => {
      const r = await request<RunView>('GET', `${t.queryUrl}/v1/action-runs/${oldRun}`, { key: operator });
      return r.body.retriggers?.[0]?.status === 'succeeded' ? r.body : undefined;
    }, 30_000, 'the old run to list its retrigger');
    expect(old.retriggers).toEqual([{ commandId, status: 'succeeded', newRunId: done.newRunId }]);

    const audit = await eventually(async () => {
      const r = await request<Record<string, unknown>[]>('GET', `${t.queryUrl}/v1/audit?action=Retrigger&entity_id=${oldRun}`, { key: operator });
      return r.body.length > 0 ? r.body : undefined;
    }, 30_000, 'the Retrigger timeline entry');
    expect(audit).toEqual([
      expect.objectContaining({ action: 'Retrigger', entityType: 'ActionRun', entityId: oldRun, sourceType: 'Application', sourceName: 'operator', success: true }),
    ]);

    // SIGTERM with nothing running: offline at once, exit 0.
    expect(await agent.stop()).toBe(0);
    const list = (await request<RunnerView[]>('GET', `${t.queryUrl}/v1/runners`, { key: operator })).body;
    expect(list.find((r) => r.id === acme.id)?.online).toBe(false);
  });

  it('gives the re-run the block reference and version of the run it repeats, and its correlation id unless the re-trigger gives another', async () => {
    const block = { name: 'nginx', from: 'cargo.ayedo.cloud/ayedo/infra/nginx:0.3.1', version: '0.3.1' };
    const pipeline = `pipeline-${randomUUID()}`;
    const change = `change-${randomUUID()}`;
    const oldRun = await h.failedRun('acme-prod', 'nginx', 'deploy', operator, { block, correlationId: pipeline });
    startAgent(t, acme.token);
    await h.online(acme.id);

    const reRun = async (extra: Record<string, unknown>) => {
      const res = await h.retrigger(oldRun, 'registry timeout', operator, extra);
      expect(res.status).toBe(202);
      const done = await h.commandReaches(res.body.commandId, ['succeeded', 'failed', 'expired']);
      expect(done.status).toBe('succeeded');
      return eventually(async () => {
        const r = await request<RunView & { correlationId: string | null }>('GET', `${t.queryUrl}/v1/action-runs/${done.newRunId}`, { key: operator });
        return r.body.status === 'successful' ? r.body : undefined;
      }, 30_000, 'the new run to be stored as successful');
    };
    expect(await reRun({})).toMatchObject({ retriggeredFrom: oldRun, block, correlationId: pipeline });
    expect(await reRun({ correlationId: change })).toMatchObject({ retriggeredFrom: oldRun, block, correlationId: change });

    // The pipeline's timeline holds the old run, the re-trigger asked for and the run it made.
    const entries = await eventually(async () => {
      const r = await request<{ action: string; entityId: string; correlationId: string | null }[]>('GET', `${t.queryUrl}/v1/audit?correlation_id=${encodeURIComponent(pipeline)}`, { key: operator });
      return r.body.length === 3 ? r.body : undefined;
    }, 30_000, 'three timeline entries of the pipeline');
    expect(entries.map((e) => e.action).sort()).toEqual(['Retrigger', 'Run', 'Run']);
    const retriggers = (await request<{ correlationId: string | null }[]>('GET', `${t.queryUrl}/v1/audit?action=Retrigger&entity_id=${oldRun}`, { key: operator })).body;
    expect(retriggers.map((e) => e.correlationId).sort()).toEqual([change, pipeline].sort());
  });

  it('reports a failing command as failed with its exit code', async () => {
    const oldRun = await h.failedRun('acme-prod', 'postgres', 'migrate');
    const agent = startAgent(t, acme.token, { FAKE_POLYCRATE_EXIT: '3' });
    await h.online(acme.id);
    const { body } = await h.retrigger(oldRun);
    const done = await h.commandReaches(body.commandId, ['succeeded', 'failed', 'expired']);
    expect(done).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(agent.runs()).toEqual([['postgres', 'migrate', oldRun]]);
    const newRun = await eventually(async () => {
      const r = await request<RunView>('GET', `${t.queryUrl}/v1/action-runs/${done.newRunId}`, { key: operator });
      return r.status === 200 && r.body.status === 'failed' ? r.body : undefined;
    }, 30_000, 'the new run to be stored as failed');
    expect(newRun).toMatchObject({ exitCode: 3, retriggeredFrom: oldRun, commandId: body.commandId });
  });

  it('delivers a command queued while the runner was offline when the agent comes back', async () => {
    const oldRun = await h.failedRun('acme-prod', 'redis', 'upgrade');
    const res = await h.retrigger(oldRun);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    expect((await h.command(res.body.commandId)).status).toBe('queued');

    const agent = startAgent(t, acme.token);
    const done = await h.commandReaches(res.body.commandId, ['succeeded', 'failed', 'expired']);
    expect(done.status).toBe('succeeded');
    expect(agent.runs()).toEqual([['redis', 'upgrade', oldRun]]);
  });

  it('runs a redelivered command once: the second copy is acked after a 409 from accept', async () => {
    const oldRun = await h.failedRun('acme-prod', 'nginx', 'rollback');
    const agent = startAgent(t, acme.token);
    await h.online(acme.id);
    const { body } = await h.retrigger(oldRun);
    expect((await h.commandReaches(body.commandId, ['succeeded', 'failed', 'expired'])).status).toBe('succeeded');

    // The same signed message, published again on the runner's subject.
    const subject = `${t.namespace}.evt.acme.cmd.${acme.id}`;
    await withNats(t, async (nc) => {
      const original = await (await jetstreamManager(nc)).streams.getMessage(`${t.namespace}-events`, { last_by_subj: subject });
      expect(original).not.toBeNull();
      expect((original?.json() as SignedCommand).payload.commandId).toBe(body.commandId);
      await jetstream(nc).publish(subject, original?.data);
    });

    await agent.waitFor(`command ${body.commandId} skipped: `);
    await h.consumerIdle(acme.id);
    expect(agent.runs()).toEqual([['nginx', 'rollback', oldRun]]);
    expect(await h.command(body.commandId)).toMatchObject({ status: 'succeeded', exitCode: 0 });
  });

  it('never runs a forged or tampered command, and still runs the genuine one', async () => {
    // Queued while the agent is off. The test takes the genuine message off the runner's
    // consumer itself (and keeps it), so that the first thing the agent sees are fakes for
    // a command it could still take.
    const oldRun = await h.failedRun('acme-prod', 'nginx', 'deploy');
    const { body } = await h.retrigger(oldRun);
    expect(body.status).toBe('queued');
    const stream = `${t.namespace}-events`;
    const subject = `${t.namespace}.evt.acme.cmd.${acme.id}`;
    const genuine = await withNats(t, async (nc) => {
      const consumer = await jetstream(nc).consumers.get(stream, `${t.namespace}-runner-${acme.id}`);
      const msg = await consumer.next({ expires: 5000 });
      if (!msg) throw new Error('no command on the runner consumer');
      await msg.ackAck();
      return msg.json<SignedCommand>();
    });
    expect(genuine.payload.commandId).toBe(body.commandId);

    const otherKeys = generateCommandSigningKeys();
    const forged = signCommand({ ...genuine.payload, block: 'forged-block' }, otherKeys.privateKeyPem);
    const tampered = { payload: { ...genuine.payload, action: 'tampered-action' }, signature: genuine.signature };
    await withNats(t, async (nc) => {
      const js = jetstream(nc);
      await js.publish(subject, JSON.stringify(forged));
      await js.publish(subject, JSON.stringify(tampered));
      await js.publish(subject, 'not json at all');
    });

    const agent = startAgent(t, acme.token);
    await agent.waitFor(new RegExp(`command ${body.commandId} rejected \\(bad-signature\\)[^\\n]*\\n[^]*command ${body.commandId} rejected \\(bad-signature\\)`));
    await agent.waitFor('rejected a message that is not JSON (malformed)');
    await h.consumerIdle(acme.id);
    expect(agent.runs()).toEqual([]);
    expect((await h.command(body.commandId)).status).toBe('queued');

    // The genuine message still works: the agent was listening all along.
    await withNats(t, (nc) => jetstream(nc).publish(subject, JSON.stringify(genuine)).then(() => undefined));
    expect((await h.commandReaches(body.commandId, ['succeeded', 'failed', 'expired'])).status).toBe('succeeded');
    expect(agent.runs()).toEqual([['nginx', 'deploy', oldRun]]);
  });

  it('lets a running command finish on SIGTERM, reports it, and exits 0', async () => {
    const oldRun = await h.failedRun('acme-prod', 'nginx', 'restart');
    const agent = startAgent(t, acme.token, { FAKE_POLYCRATE_SLEEP_MS: '3000' });
    await h.online(acme.id);
    const { body } = await h.retrigger(oldRun);
    await agent.waitFor(`command ${body.commandId} accepted`);
    await eventually(async () => (agent.runs().length === 1 ? true : undefined), 30_000, 'the command to start');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(agent.stderr).toContain(`command ${body.commandId} finished with exit code 0`);
    expect(await h.command(body.commandId)).toMatchObject({ status: 'succeeded', exitCode: 0 });
    await h.consumerIdle(acme.id);
  });

  it('kills the running command on a second signal and exits 1', async () => {
    const oldRun = await h.failedRun('acme-prod', 'nginx', 'drain');
    const agent = startAgent(t, acme.token, { FAKE_POLYCRATE_SLEEP_MS: '60000' });
    await h.online(acme.id);
    const { body } = await h.retrigger(oldRun);
    await eventually(async () => (agent.runs().length === 1 ? true : undefined), 30_000, 'the command to start');
    agent.child.kill('SIGTERM');
    await agent.waitFor('SIGTERM: stopping');
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(1);
    expect(agent.stderr).toContain(`command ${body.commandId} finished with exit code 143`);
    expect(await h.command(body.commandId)).toMatchObject({ status: 'failed', exitCode: 143 });
  });

  it("keeps tenants apart: another tenant's runner never sees the command", async () => {
    const globexKey = await t.createKey('globex', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'globex-operator');
    const globex = await h.register('globex-everywhere', ['*'], globexKey);
    const globexAgent = startAgent(t, globex.token);
    const acmeAgent = startAgent(t, acme.token);
    await h.online(globex.id, globexKey);
    await h.online(acme.id);

    const oldRun = await h.failedRun('acme-prod', 'nginx', 'deploy');
    const { body } = await h.retrigger(oldRun);
    expect(body.runnerId).toBe(acme.id);
    expect((await h.commandReaches(body.commandId, ['succeeded', 'failed', 'expired'])).status).toBe('succeeded');
    expect(acmeAgent.runs()).toEqual([['nginx', 'deploy', oldRun]]);
    expect(globexAgent.runs()).toEqual([]);
    expect(globexAgent.stderr).not.toContain(body.commandId);

    // acme's own runner does not serve acme-edge; globex's "*" runner is not acme's.
    const edgeRun = await h.failedRun('acme-edge', 'nginx', 'deploy');
    const refused = await h.retrigger(edgeRun);
    expect(refused.status).toBe(409);
    expect(refused.text).toMatch(/no runner of tenant acme serves workspace acme-edge/);
    expect(globexAgent.runs()).toEqual([]);
  });

  it('refuses an unknown token: one line, exit 1, the token never printed', async () => {
    const token = `rtr_${'x'.repeat(40)}`;
    const agent = startAgent(t, token);
    expect(await agent.exited).toBe(1);
    expect(agent.stderr).toBe('runtrail runner: the runner token was refused\n');
  });
});

describe('runtrail runner and expired commands', () => {
  let t: TestStack;
  let operator: string;
  let h: ReturnType<typeof helpers>;

  beforeAll(async () => {
    t = await startTestStack('cliagent', { COMMAND_TTL_SECONDS: '2' });
    operator = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
    h = helpers(t, () => operator);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await t?.stop();
  }, 60_000);

  it('never runs a command that expired while the runner was offline', async () => {
    const runner = await h.register('late-runner', ['acme-prod']);
    const oldRun = await h.failedRun();
    const { body } = await h.retrigger(oldRun);
    expect(body.status).toBe('queued');
    // Its 2 s TTL passes while no agent runs.
    await h.commandReaches(body.commandId, ['expired']);

    const agent = startAgent(t, runner.token);
    await agent.waitFor(`command ${body.commandId} rejected (expired)`);
    await h.consumerIdle(runner.id);
    expect(agent.runs()).toEqual([]);
    expect((await h.command(body.commandId)).status).toBe('expired');
  });
});

/**
 * deploy/nats/accounts.conf, exercised: the services run as `runtrail-services` and the
 * agent as its own `runner-<id>` user on a private nats-server with that file as its
 * authorization, and a re-trigger still goes through; the runner's user can do nothing
 * beyond pulling and acknowledging its own commands.
 */
describe('runtrail runner behind the NATS permissions of deploy/nats/accounts.conf', () => {
  const accounts = readFileSync(join(repo, 'deploy/nats/accounts.conf'), 'utf8');
  // nats-server reads a `$VARIABLE` as a configuration value: a password starting with a
  // digit ("8e3…") is parsed as a number and the configuration is refused. Hence the `p`.
  const passwords = { services: `p${randomBytes(16).toString('hex')}`, runner: `p${randomBytes(16).toString('hex')}` };
  const configFor = (runnerIds: string[]) =>
    // One runner user per registered runner: the file's runner entry, repeated with each id.
    accounts.replace(/ {4}\{\n {6}user: runner-RUNNER_ID[\s\S]*?\n {4}\}(?=\n)/, (entry) => runnerIds.map((id) => entry.replaceAll('RUNNER_ID', id)).join(',\n'));
  const natsUrl = (user: string, password: string) => `nats://${user}:${password}@127.0.0.1:${nats.port}`;
  let nats: NatsServerProcess;
  let t: TestStack;
  let operator: string;
  let h: ReturnType<typeof helpers>;
  let runner: Registered;
  let other: Registered;

  beforeAll(async () => {
    nats = await NatsServerProcess.start({
      config: configFor([]),
      env: { PATH: process.env.PATH, RUNTRAIL_SERVICES_PASSWORD: passwords.services, RUNNER_PASSWORD: passwords.runner },
    });
    // The file names the namespace `runtrail`; this NATS server is the test's own.
    t = await startTestStack('natsperm', { NATS_URL: natsUrl('runtrail-services', passwords.services), RUNTRAIL_NAMESPACE: 'runtrail' });
    operator = await t.createKey('acme', ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage'], 'operator');
    h = helpers(t, () => operator);
    runner = await h.register('edge-1', ['acme-prod']);
    other = await h.register('edge-2', ['acme-prod']);
    nats.reload(configFor([runner.id, other.id]));
    await eventually(async () => {
      const nc = await connect({ ...parseNatsServers([natsUrl(`runner-${runner.id}`, passwords.runner)]), timeout: 2000 });
      await nc.close();
      return true;
    }, 30_000, 'the reloaded NATS configuration to admit the runner').catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- nats-server log ---\n${nats.logTail()}`);
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await t?.stop();
    await nats?.destroy();
  }, 60_000);

  it('lets the services work and the agent run a re-triggered command as its own user', async () => {
    const oldRun = await h.failedRun();
    const agent = startAgent(t, runner.token, { NATS_URL: natsUrl(`runner-${runner.id}`, passwords.runner), RUNTRAIL_NAMESPACE: 'runtrail' });
    await h.online(runner.id);
    const res = await request<RetriggerAnswer>('POST', `${t.queryUrl}/v1/action-runs/${oldRun}/retrigger`, {
      key: operator,
      body: { runnerId: runner.id },
    });
    expect(res.status).toBe(202);
    const done = await h.commandReaches(res.body.commandId, ['succeeded', 'failed', 'expired']);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(agent.runs()).toEqual([['nginx', 'deploy', oldRun]]);
    expect(agent.stderr).not.toMatch(/permission/i);
  });

  it('lets the services keep schedules: create, pause, read and delete', async () => {
    const runId = await h.failedRun();
    const created = await request<{ id: string; paused: boolean }>('POST', `${t.queryUrl}/v1/schedules`, {
      key: operator,
      body: { runId, cron: '0 3 * * 0', timezone: 'Europe/Berlin', reason: 'weekly drill' },
    });
    expect(created.status).toBe(201);
    expect((await request('POST', `${t.queryUrl}/v1/schedules/${created.body.id}/pause`, { key: operator })).status).toBe(200);
    expect((await request<{ paused: boolean }>('GET', `${t.queryUrl}/v1/schedules/${created.body.id}`, { key: operator })).body.paused).toBe(true);
    expect((await request('DELETE', `${t.queryUrl}/v1/schedules/${created.body.id}`, { key: operator })).status).toBe(204);
  });

  it("refuses the runner's user everything else: other consumers, the stream, the key bucket, publishing events", async () => {
    const nc = await connect({ ...parseNatsServers([natsUrl(`runner-${runner.id}`, passwords.runner)]), inboxPrefix: `_INBOX_${runner.id}` });
    try {
      const js = jetstream(nc);
      await expect(js.consumers.get('runtrail-events', `runtrail-runner-${runner.id}`)).resolves.toBeDefined();
      await expect(js.consumers.get('runtrail-events', `runtrail-runner-${other.id}`)).rejects.toThrow(/permission/i);
      await expect(nc.request('$JS.API.STREAM.INFO.runtrail-events', undefined, { timeout: 2000 })).rejects.toThrow(/permission/i);
      await expect(nc.request('$JS.API.DIRECT.GET.KV_runtrail-auth', undefined, { timeout: 2000 })).rejects.toThrow(/permission/i);
      // Another client's inbox and the event subjects cannot be read.
      const sub = nc.subscribe('runtrail.evt.>');
      await expect(sub.closed).resolves.toBeInstanceOf(Error);

      const count = async () => withNats(t, async (s) => (await (await jetstreamManager(s)).streams.info('runtrail-events')).state.messages);
      const before = await count();
      nc.publish('runtrail.evt.acme.audit', JSON.stringify({ v: 1, kind: 'audit', tenantId: 'acme', events: [] }));
      await nc.flush();
      expect(await count()).toBe(before);
    } finally {
      await nc.close();
    }
  });
});
