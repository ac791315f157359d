import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { osUser } from '../os-user';
import type { CommandOutcome, RunningCommand } from '../runner/command-executor';
import type { SignalSource } from './forwarded-signals';
import { runAction, type RunActionDeps, type RunFlags } from './run-action';
import type { RunReport } from './run-report';

const KEY = 'rt_unitunitunitunitunitunitunitunit';
const flags: RunFlags = { workspace: 'acme-prod', block: 'nginx', action: 'deploy', from: 'reg/infra/nginx:0.3.1' };

/** A command that ends when the test says so, and records the signals it is sent. */
function fakeCommand() {
  let end!: (outcome: CommandOutcome) => void;
  const done = new Promise<CommandOutcome>((resolve) => (end = resolve));
  const kills: NodeJS.Signals[] = [];
  const running: RunningCommand = { done, kill: (signal = 'SIGTERM') => void kills.push(signal) };
  return { running, kills, end };
}

describe('runAction', () => {
  let home: string;
  const config = (text: string) => {
    mkdirSync(join(home, '.runtrail'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.runtrail', 'config.yml'), text);
  };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'runtrail-action-'));
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  /** Runs the action on a fake command, with fake signals and a fake API that accepts everything. */
  function act(deps: RunActionDeps = {}, runFlags: RunFlags = flags) {
    const warnings: string[] = [];
    const sent: RunReport[][] = [];
    const command = fakeCommand();
    const signals = new EventEmitter();
    const code = runAction(['polycrate', 'run', 'nginx', 'deploy'], runFlags, { version: '9.9.9', warn: (l) => warnings.push(l) }, {
      signals: signals as unknown as SignalSource,
      start: () => command.running,
      sink: () => ({
        submit: async (batch) => {
          sent.push(batch);
          return {};
        },
      }),
      ...deps,
      env: { HOME: home, ...deps.env },
    });
    return { code, warnings, sent, command, signals };
  }

  it("resolves to the command's exit code and reports the start and the end", async () => {
    const { code, warnings, sent, command } = act();
    command.end({ exitCode: 3 });
    expect(await code).toBe(3);
    expect(warnings).toEqual([]);
    expect(sent).toHaveLength(2);
    const [[started], [ended]] = sent;
    expect(started).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      workspace: { name: 'acme-prod' },
      block: { name: 'nginx', from: 'reg/infra/nginx:0.3.1' },
      action: 'deploy',
      status: 'running',
      startedAt: expect.any(String),
      hostname: hostname(),
      osUser: osUser(),
      cliVersion: '9.9.9',
    });
    expect(ended).toMatchObject({ id: started.id, startedAt: started.startedAt, status: 'failed', exitCode: 3, finishedAt: expect.any(String) });
  });

  it('says when the command cannot be started and resolves to 127', async () => {
    const { code, warnings, sent, command } = act();
    command.end({ exitCode: 127, spawnError: 'spawn polycrate ENOENT' });
    expect(await code).toBe(127);
    expect(warnings).toEqual(['cannot run polycrate: spawn polycrate ENOENT']);
    expect(sent[1][0]).toMatchObject({ status: 'failed', exitCode: 127 });
  });

  it('forwards SIGTERM and SIGINT to the running command, reports it aborted, and lets go of the signals', async () => {
    const { code, sent, command, signals } = act();
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    expect(signals.listenerCount('SIGINT')).toBe(1);
    signals.emit('SIGTERM', 'SIGTERM');
    signals.emit('SIGINT', 'SIGINT');
    expect(command.kills).toEqual(['SIGTERM', 'SIGINT']);
    // It trapped the signal and exited on its own: still aborted.
    command.end({ exitCode: 1 });
    expect(await code).toBe(1);
    expect(sent[1][0]).toMatchObject({ status: 'aborted', exitCode: 1 });
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('passes a signal after the command ended on to the reporter as hurry, not to the command', async () => {
    let finishing!: (hurry: AbortSignal | undefined) => void;
    const finishStarted = new Promise<AbortSignal | undefined>((resolve) => (finishing = resolve));
    const { code, warnings, command, signals } = act({
      reporter: () => ({
        begin: () => undefined,
        finish: (_end, hurry) => {
          finishing(hurry);
          return new Promise((resolve) => hurry?.addEventListener('abort', () => resolve(['gave up'])));
        },
      }),
    });
    command.end({ exitCode: 0 });
    const hurry = await finishStarted;
    expect(hurry?.aborted).toBe(false);
    signals.emit('SIGINT', 'SIGINT');
    expect(hurry?.aborted).toBe(true);
    expect(await code).toBe(0);
    expect(command.kills).toEqual([]);
    expect(warnings).toEqual(['gave up']);
  });

  it('runs without reporting, with one warning, when nothing is configured', async () => {
    rmSync(join(home, '.runtrail'), { recursive: true });
    const { code, warnings, sent, command } = act();
    command.end({ exitCode: 0 });
    expect(await code).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/^not reporting the run: no api\.url and api\.api_key in /)]);
    expect(sent).toEqual([]);
  });

  it('still runs the command when the configuration cannot be loaded at all', async () => {
    const { code, warnings, sent, command } = act({
      loadConfig: () => {
        throw new Error('EACCES');
      },
    });
    command.end({ exitCode: 2 });
    expect(await code).toBe(2);
    expect(warnings).toEqual(['not reporting the run: the configuration could not be read (EACCES)']);
    expect(sent).toEqual([]);
  });

  it('reports with the environment and says once that the file was broken', async () => {
    config('api: [\n');
    const { code, warnings, sent, command } = act({ env: { RUNTRAIL_API_URL: 'http://env.invalid:1', RUNTRAIL_API_KEY: KEY } });
    command.end({ exitCode: 0 });
    expect(await code).toBe(0);
    expect(warnings).toEqual([expect.stringMatching(/config\.yml is not valid YAML \(.*\); reporting with RUNTRAIL_API_URL and RUNTRAIL_API_KEY$/)]);
    expect(sent).toHaveLength(2);
  });

  it('uses RUNTRAIL_API_URL and RUNTRAIL_API_KEY without a file', async () => {
    rmSync(join(home, '.runtrail'), { recursive: true });
    let api: { url: string; apiKey: string } | undefined;
    const { code, command } = act({
      env: { RUNTRAIL_API_URL: 'http://env.invalid:1', RUNTRAIL_API_KEY: KEY },
      sink: (a) => {
        api = a;
        return { submit: async () => ({}) };
      },
    });
    command.end({ exitCode: 0 });
    await code;
    expect(api).toMatchObject({ url: 'http://env.invalid:1', apiKey: KEY });
  });

  it('reports nothing and touches no file with submit_action_runs: false', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n  submit_action_runs: false\n`);
    const { code, warnings, sent, command } = act();
    command.end({ exitCode: 4 });
    expect(await code).toBe(4);
    expect(warnings).toEqual([]);
    expect(sent).toEqual([]);
    expect(existsSync(join(home, '.runtrail', 'spool.jsonl'))).toBe(false);
  });

  it.each<[string, RunActionDeps['reporter']]>([
    [
      'cannot start',
      () => {
        throw new Error(`no reporter for ${KEY}`);
      },
    ],
    [
      'throws at the end',
      () => ({
        begin: () => undefined,
        finish: () => Promise.reject(new Error(`no reporter for ${KEY}`)),
      }),
    ],
  ])("gives exactly one warning, without the key, and the command's exit code when the reporter %s", async (_what, reporter) => {
    const { code, warnings, command } = act({ reporter });
    command.end({ exitCode: 5 });
    expect(await code).toBe(5);
    expect(warnings).toEqual(['could not report the run (no reporter for ***)']);
  });

  it('sends the correlation id of --correlation-id in both reports, over the environment', async () => {
    const { code, warnings, sent, command } = act({ env: { RUNTRAIL_CORRELATION_ID: 'CHG-1', GITHUB_RUN_ID: '98' } }, { ...flags, correlationId: 'release-7' });
    command.end({ exitCode: 0 });
    expect(await code).toBe(0);
    expect(warnings).toEqual([]);
    expect(sent.map(([report]) => [report.status, report.correlationId])).toEqual([
      ['running', 'release-7'],
      ['successful', 'release-7'],
    ]);
  });

  it("sends the CI's pipeline id when nothing else gives one", async () => {
    const { code, sent, command } = act({ env: { CI_PIPELINE_ID: '1234567' } });
    command.end({ exitCode: 0 });
    await code;
    expect(sent.map(([report]) => report.correlationId)).toEqual(['1234567', '1234567']);
  });

  it('reports without a correlation id and with one warning when the variable holds an invalid one', async () => {
    const { code, warnings, sent, command } = act({ env: { BUILD_TAG: 'x'.repeat(129) } });
    command.end({ exitCode: 6 });
    expect(await code).toBe(6);
    expect(warnings).toEqual(['not sending a correlation id: BUILD_TAG must be 1 to 128 printable characters']);
    expect(sent).toHaveLength(2);
    for (const [report] of sent) expect(report).not.toHaveProperty('correlationId');
  });

  it('says nothing about an invalid correlation id when it reports nothing', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n  submit_action_runs: false\n`);
    const { code, warnings, command } = act({ env: { RUNTRAIL_CORRELATION_ID: 'a\u0007b' } });
    command.end({ exitCode: 0 });
    expect(await code).toBe(0);
    expect(warnings).toEqual([]);
  });
});
