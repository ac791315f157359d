import { hostname } from 'node:os';
import type { Command } from 'commander';
import { RuntrailClient } from '@runtrail/client';
import { CliExit } from '../cli-exit';
import { osUser } from '../os-user';
import type { CliOutput } from '../program';
import { displayCommand, startCommand, type RunningCommand } from '../runner/command-executor';
import type { ReportSink } from './report-delivery';
import { DEFAULT_SPOOL_LIMITS, ReportSpool, type SpoolLimits } from './report-spool';
import { loadRunConfig, RUN_ENV, runtrailPaths, type RunConfig } from './run-config';
import { endReport, newRun, startReport, type RunIdentity } from './run-report';
import { DEFAULT_REPORT_BUDGET, RunReporter, type ReportBudget } from './run-reporter';

interface RunFlags {
  workspace: string;
  block: string;
  action: string;
  from?: string;
  blockVersion?: string;
}

export interface RunCommandDeps {
  env?: NodeJS.ProcessEnv;
  /** Where SIGINT and SIGTERM come from; the process in main. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** How reports are sent; RuntrailClient.submitActionRuns by default. */
  sink?: (api: { url: string; apiKey: string; timeoutMs: number }) => ReportSink;
  start?: (argv: readonly string[]) => RunningCommand;
  budget?: ReportBudget;
  spoolLimits?: SpoolLimits;
}

/** The real sink: the client SDK, its retries cut by the deadline and per-attempt timeout we pass. */
export function clientSink(api: { url: string; apiKey: string; timeoutMs: number }): ReportSink {
  const client = new RuntrailClient({ ingestUrl: api.url, apiKey: api.apiKey, timeoutMs: api.timeoutMs });
  return { submit: (reports, call) => client.submitActionRuns(reports, call) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('***') : text;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

const RUN_HELP = `
The command runs with runtrail's standard streams, its environment and working
directory, without a shell. runtrail exits with its exit code (128 + the signal
number when a signal ended it: 130 for SIGINT, 143 for SIGTERM; 127 when it could
not be started) and forwards SIGINT and SIGTERM to it.

The run is reported at start ("running") and at end ("successful", "failed" or
"aborted") to the ingest gateway. Configuration: ~/.runtrail/config.yml

  api:
    url: https://runtrail-ingest.example.com   # the ingest gateway, without /v1
    api_key: rt_...                             # a key with events:write
    submit_action_runs: true                    # false: report nothing

${RUN_ENV.url} and ${RUN_ENV.apiKey} override the file. Reporting never changes the
exit code and delays the exit by at most ~1.5 s: a report that cannot be delivered
is kept in ~/.runtrail/spool.jsonl (one warning line) and sent by the next run or
by \`runtrail flush\`; one the API refuses as invalid goes to ~/.runtrail/rejected.jsonl.

Example:
  runtrail run --workspace acme-prod --block nginx --action deploy \\
    --from registry.example.com/infra/nginx:0.3.1 -- polycrate run nginx deploy
`;

/** `runtrail run` (CONTRACT §5): runs a command and reports it as an action run, fail-safe. */
export function registerRunCommand(program: Command, version: string, output: CliOutput, deps: RunCommandDeps = {}): Command {
  return program
    .command('run')
    .description('run a command, passing its output and exit code through, and report it as an action run')
    .usage('--workspace <name> --block <name> --action <name> [options] -- <command> [args...]')
    .requiredOption('--workspace <name>', 'the workspace the run belongs to')
    .requiredOption('--block <name>', 'the block, as named in the workspace')
    .requiredOption('--action <name>', 'the action of the block')
    .option('--from <ref>', 'the block reference as written in the workspace, e.g. registry/path/nginx:0.3.1')
    .option('--block-version <version>', 'the block version (the server defaults it to the tag of --from)')
    .argument('<command...>', 'the command to run and its arguments (after --)')
    .passThroughOptions()
    .addHelpText('after', RUN_HELP)
    .action(async (command: string[], flags: RunFlags) => {
      const warn = (line: string) => output.writeErr(`runtrail: ${line}\n`);
      const env = deps.env ?? process.env;
      let config: RunConfig;
      try {
        config = loadRunConfig(env);
      } catch (error) {
        // Nothing about reporting may stop the command from running.
        config = { mode: 'unconfigured', paths: runtrailPaths({ HOME: '.' }), problem: `the configuration could not be read (${messageOf(error)})` };
      }
      const identity: RunIdentity = {
        workspace: flags.workspace,
        block: flags.block,
        action: flags.action,
        from: flags.from,
        blockVersion: flags.blockVersion,
        hostname: hostname(),
        osUser: osUser(),
        cliVersion: version,
      };

      // The command first: reporting must never hold it up.
      const run = newRun();
      const running = (deps.start ?? startCommand)(command);
      let ended = false;
      let interrupted = false;
      const hurry = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => {
        if (!ended) {
          interrupted = true;
          running.kill(signal);
        } else {
          // Already finishing up: stop waiting for the API, keep the reports, exit.
          hurry.abort();
        }
      };
      const signals = deps.signals ?? process;
      for (const s of FORWARDED) signals.on(s, onSignal);

      try {
        const budget = deps.budget ?? DEFAULT_REPORT_BUDGET;
        const warnings: string[] = [];
        let reporter: RunReporter | undefined;
        if (config.mode === 'report') {
          try {
            const api = { url: config.url, apiKey: config.apiKey, timeoutMs: budget.timeoutMs };
            reporter = new RunReporter({
              sink: (deps.sink ?? clientSink)(api),
              spool: new ReportSpool(config.paths.dir, deps.spoolLimits ?? DEFAULT_SPOOL_LIMITS),
              secrets: [config.apiKey],
              budget,
            });
            reporter.begin(startReport(identity, run));
          } catch (error) {
            reporter = undefined;
            warnings.push(`could not report the run (${redact(messageOf(error), config.apiKey)})`);
          }
        }

        const outcome = await running.done;
        ended = true;
        if (outcome.spawnError !== undefined) warn(`cannot run ${displayCommand(command.slice(0, 1))}: ${outcome.spawnError}`);

        if (config.mode === 'unconfigured') warnings.push(`not reporting the run: ${config.problem}`);
        if (config.mode === 'report' && config.notice) warnings.push(config.notice);
        if (reporter && config.mode === 'report') {
          const ending = { exitCode: outcome.exitCode, signal: outcome.signal, interrupted };
          try {
            warnings.push(...(await reporter.finish(endReport(identity, run, ending), hurry.signal)));
          } catch (error) {
            warnings.push(`could not report the run (${redact(messageOf(error), config.apiKey)})`);
          }
        }
        for (const line of warnings) warn(line);
        if (outcome.exitCode !== 0) throw new CliExit(outcome.exitCode);
      } finally {
        for (const s of FORWARDED) signals.off(s, onSignal);
      }
    });
}
