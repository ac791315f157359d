import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { CliExit } from '../cli-exit';
import { startCommand } from '../runner/command-executor';
import type { SignalSource } from './forwarded-signals';
import type { ReportSink } from './report-delivery';
import type { RunActionDeps } from './run-action';
import type { RunReport } from './run-report';
import { registerRunCommand } from './run.command';

const node = process.execPath;
const KEY = 'rt_unitunitunitunitunitunitunitunit';

/** Runs `runtrail run ARGS` in-process with a fake API; resolves to the exit code, output and what was sent. */
async function runtrailRun(args: string[], deps: RunActionDeps & { home: string; sent?: RunReport[][] }) {
  let err = '';
  // Commander's own errors go where the warnings go, as buildProgram arranges.
  const program = new Command('runtrail').exitOverride().enablePositionalOptions().configureOutput({ writeErr: (t) => (err += t) });
  const sent = deps.sent ?? [];
  const sink: ReportSink = {
    submit: async (batch) => {
      sent.push(batch);
      return {};
    },
  };
  registerRunCommand(program, '9.9.9', { writeOut: () => undefined, writeErr: (t) => (err += t) }, { sink: () => sink, ...deps, env: { HOME: deps.home, ...deps.env } });
  let code = 0;
  try {
    await program.parseAsync(['run', ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CliExit || error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, err, sent };
}

describe('runtrail run (in-process, fake API)', () => {
  let home: string;
  const config = (text: string) => {
    mkdirSync(join(home, '.runtrail'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.runtrail', 'config.yml'), text);
  };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'runtrail-run-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const ids = ['--workspace', 'acme-prod', '--block', 'nginx', '--action', 'deploy', '--from', 'reg/infra/nginx:0.3.1'];

  it('passes the exit code through and reports the start and the end of the run', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const { code, err, sent } = await runtrailRun([...ids, '--', node, '-e', 'process.exit(3)'], { home });
    expect(code).toBe(3);
    expect(err).toBe('');
    expect(sent).toHaveLength(2);
    const [[started], [ended]] = sent;
    // The report's full shape is run-action.spec's; here: the options reached it.
    expect(started).toMatchObject({ workspace: { name: 'acme-prod' }, block: { name: 'nginx', from: 'reg/infra/nginx:0.3.1' }, action: 'deploy', status: 'running', cliVersion: '9.9.9' });
    expect(ended).toMatchObject({ id: started.id, status: 'failed', exitCode: 3 });
  });

  it('takes the words after the command as its own, options included, without --', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const { code } = await runtrailRun([...ids, node, '-e', 'process.exit(process.argv[1] === "--workspace" ? 0 : 9)', '--', '--workspace'], { home });
    expect(code).toBe(0);
  });

  it('forwards SIGTERM to the command and reports it aborted with 143', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const signals = new EventEmitter();
    let spawned!: () => void;
    const started = new Promise<void>((resolve) => (spawned = resolve));
    const pending = runtrailRun([...ids, '--', node, '-e', 'setTimeout(() => {}, 60000)'], {
      home,
      signals: signals as unknown as SignalSource,
      start: (argv) => {
        const running = startCommand(argv);
        spawned();
        return running;
      },
    });
    await started;
    expect(signals.listenerCount('SIGTERM')).toBe(1);
    signals.emit('SIGTERM', 'SIGTERM');
    const { code, sent } = await pending;
    expect(code).toBe(143);
    expect(sent[1][0]).toMatchObject({ status: 'aborted', exitCode: 143 });
    expect(signals.listenerCount('SIGTERM')).toBe(0);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });

  it('reports a command that cannot be started as failed with 127', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const { code, err, sent } = await runtrailRun([...ids, '--', '/nonexistent/runtrail-test-command'], { home });
    expect(code).toBe(127);
    expect(err).toMatch(/^runtrail: cannot run \/nonexistent\/runtrail-test-command: .*ENOENT\n$/);
    expect(sent[1][0]).toMatchObject({ status: 'failed', exitCode: 127 });
  });

  it('sends --correlation-id in both reports, over RUNTRAIL_CORRELATION_ID', async () => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const { code, sent } = await runtrailRun([...ids, '--correlation-id=release-7', '--', node, '-e', ''], { home, env: { RUNTRAIL_CORRELATION_ID: 'CHG-1' } });
    expect(code).toBe(0);
    expect(sent.map(([report]) => report.correlationId)).toEqual(['release-7', 'release-7']);
  });

  it.each([
    ['empty', ''],
    ['of 129 characters', 'x'.repeat(129)],
    ['with an escape sequence', 'ci\u001b[2J'],
  ])('refuses a --correlation-id %s as a usage error (exit 1) before running anything, without echoing it', async (_what, value) => {
    config(`api:\n  url: http://api.invalid\n  api_key: ${KEY}\n`);
    const started: string[][] = [];
    const { code, err, sent } = await runtrailRun([...ids, '--correlation-id', value, '--', node, '-e', ''], {
      home,
      start: (argv) => {
        started.push([...argv]);
        return startCommand(argv);
      },
    });
    expect(code).toBe(1);
    expect(err).toBe('error: --correlation-id must be 1 to 128 printable characters\n');
    expect(started).toEqual([]);
    expect(sent).toEqual([]);
  });
});
