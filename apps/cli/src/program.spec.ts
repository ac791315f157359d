import { CommanderError } from 'commander';
import { buildProgram, type CliOutput } from './program';

function captured(): CliOutput & { out: string; err: string } {
  const sink = {
    out: '',
    err: '',
    writeOut: (text: string) => {
      sink.out += text;
    },
    writeErr: (text: string) => {
      sink.err += text;
    },
  };
  return sink;
}

/** Parses user args and returns what commander threw (every path here ends in one). */
async function parse(args: string[]): Promise<{ error: CommanderError; out: string; err: string }> {
  const io = captured();
  let thrown: unknown;
  try {
    await buildProgram('9.8.7', io).parseAsync(args, { from: 'user' });
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof CommanderError)) throw new Error(`expected a CommanderError, got ${String(thrown)}`);
  return { error: thrown, out: io.out, err: io.err };
}

describe('buildProgram', () => {
  it.each([['--version'], ['-V']])('prints the version it was given for %s, exit 0', async (flag) => {
    const { error, out, err } = await parse([flag]);
    expect(out).toBe('9.8.7\n');
    expect(err).toBe('');
    expect(error.exitCode).toBe(0);
  });

  it.each([['--help'], ['-h'], ['help']])('prints usage, options and commands to stdout for %s, exit 0', async (arg) => {
    const { error, out, err } = await parse([arg]);
    expect(out).toMatch(/^Usage: runtrail \[options\] \[command\]\n/);
    expect(out).toContain('-V, --version');
    expect(out).toMatch(/Commands:\n\s+run \[options\] <command\.\.\.>[^]*\n\s+flush \[options\][^]*\n\s+runner \[options\][^]*\n\s+verify \[options\] <file>[^]*\n\s+help \[command\]/);
    expect(err).toBe('');
    expect(error.exitCode).toBe(0);
  });

  it('registers the run, flush, runner and verify commands', () => {
    expect(buildProgram('1.0.0').commands.map((c) => c.name())).toEqual(['run', 'flush', 'runner', 'verify']);
  });

  it('answers a bare runtrail with the help on stderr, exit 1', async () => {
    const { error, out, err } = await parse([]);
    expect(out).toBe('');
    expect(err).toMatch(/^Usage: runtrail/);
    expect(err).toMatch(/Commands:\n\s+run \[options\][^]*\n\s+runner \[options\]/);
    expect(error.exitCode).toBe(1);
  });

  it('lists the runner options for runner --help, exit 0', async () => {
    const { error, out } = await parse(['runner', '--help']);
    expect(out).toMatch(/^Usage: runtrail runner \[options\]/);
    for (const option of ['--token <token>', '--exec <template>', '--ingest-url <url>', '--query-url <url>', '--nats-url <urls>', '--namespace <ns>']) {
      expect(out).toContain(option);
    }
    expect(error.exitCode).toBe(0);
  });

  it('lists the run options, the config file and the exit codes for run --help, exit 0', async () => {
    const { error, out } = await parse(['run', '--help']);
    expect(out).toMatch(/^Usage: runtrail run --workspace <name> --block <name> --action <name> \[options\] -- <command> \[args\.\.\.\]/);
    for (const text of ['--workspace <name>', '--block <name>', '--action <name>', '--from <ref>', '--block-version <version>', '--correlation-id <id>', 'RUNTRAIL_CORRELATION_ID', 'GITHUB_RUN_ID', 'CI_PIPELINE_ID', 'BUILD_TAG', '~/.runtrail/config.yml', 'submit_action_runs', 'RUNTRAIL_API_URL', 'RUNTRAIL_API_KEY', '130 for SIGINT', 'spool.jsonl', 'rejected.jsonl']) {
      expect(out).toContain(text);
    }
    expect(error.exitCode).toBe(0);
  });

  it('explains flush for flush --help, exit 0', async () => {
    const { error, out } = await parse(['flush', '--help']);
    expect(out).toMatch(/^Usage: runtrail flush \[options\]/);
    expect(out).toContain('--timeout <seconds>');
    expect(out).toContain('spool.jsonl');
    expect(error.exitCode).toBe(0);
  });

  it.each([
    [['run', '--block', 'b', '--action', 'a', '--', 'true'], /required option '--workspace <name>' not specified/],
    [['run', '--workspace', 'w', '--block', 'b', '--action', 'a'], /missing required argument 'command'/],
    [['run', '--workspace', 'w', '--block', 'b', '--action', 'a', '--correlation-id', '', '--', 'true'], /^error: --correlation-id must be 1 to 128 printable characters\n/],
    [['flush', '--timeout', 'soon'], /--timeout <seconds>' argument 'soon' is invalid/],
    [['--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['runner', '--bogus'], /unknown option '--bogus'/],
    [['runner', 'extra', '--token', 't', '--exec', 'x'], /too many arguments for 'runner'/],
  ])('refuses %j on stderr with a pointer to --help, exit 1', async (args, message) => {
    const { error, out, err } = await parse(args);
    expect(out).toBe('');
    expect(err).toMatch(message);
    expect(err).toContain('run runtrail --help for usage');
    expect(error.exitCode).toBe(1);
  });
});
