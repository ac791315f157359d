import { hostname } from 'node:os';
import type { Command } from 'commander';
import { CliExit } from '../cli-exit';
import { osUser } from '../os-user';
import type { CliOutput } from '../program';
import type { RunnerHost } from './command-handler';
import { RUNNER_DEFAULTS, RUNNER_ENV } from './runner-defaults';
import type { RunnerFlags } from './runner-options';

/** Exit code of a configuration the agent cannot start with (missing option, bad --exec). */
export const RUNNER_CONFIG_EXIT_CODE = 2;

export interface RunnerCommandDeps {
  /** Where SIGTERM and SIGINT come from; the process in main. */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  env?: NodeJS.ProcessEnv;
}

/** `runtrail runner` (apps/cli/README.md#runtrail-runner): serves re-trigger commands until stopped. */
export function registerRunnerCommand(program: Command, version: string, output: CliOutput, deps: RunnerCommandDeps = {}): Command {
  return program
    .command('runner')
    .description('serve re-trigger commands: run the --exec command for each one this runner receives, until stopped')
    .option('--token <token>', `the runner token from POST /v1/runners (or ${RUNNER_ENV.token})`)
    .option('--exec <template>', 'the command to run, e.g. "polycrate run {block} {action}"; placeholders {block} {action} {workspace} {run_id} {command_id}; never run by a shell')
    .option('--ingest-url <url>', `ingest gateway base URL (or ${RUNNER_ENV.ingestUrl}; default ${RUNNER_DEFAULTS.ingestUrl})`)
    .option('--query-url <url>', `query service base URL (or ${RUNNER_ENV.queryUrl}; default ${RUNNER_DEFAULTS.queryUrl})`)
    .option('--nats-url <urls>', `NATS servers, comma-separated (or ${RUNNER_ENV.natsUrl}; default ${RUNNER_DEFAULTS.natsUrl})`)
    .option('--namespace <ns>', `Runtrail namespace, informational (or ${RUNNER_ENV.namespace}; default ${RUNNER_DEFAULTS.namespace})`)
    .action(async (flags: RunnerFlags) => {
      // Loaded here, not at start: the contracts and NATS client take ~250 ms to load,
      // which every other command (`runtrail run` wrapping each automation step) is spared.
      const { RunnerConfigError, resolveRunnerOptions } = require('./runner-options') as typeof import('./runner-options');
      const { RunnerAgent } = require('./runner-agent') as typeof import('./runner-agent');
      const { RunnerFatalError } = require('./runner-session') as typeof import('./runner-session');
      const log = (line: string) => output.writeErr(`runtrail runner: ${line}\n`);
      let options;
      try {
        options = resolveRunnerOptions(flags, deps.env ?? process.env);
      } catch (error) {
        if (!(error instanceof RunnerConfigError)) throw error;
        log(error.message);
        throw new CliExit(RUNNER_CONFIG_EXIT_CODE);
      }
      const host: RunnerHost = { hostname: hostname(), osUser: osUser(), cliVersion: version };
      const agent = new RunnerAgent({ options, host, log });

      const signals = deps.signals ?? process;
      const onSignal = (signal: NodeJS.Signals) => {
        if (!agent.stopRequested) {
          log(`${signal}: stopping once the running command, if any, has finished (a second signal kills it)`);
          agent.stop();
        } else {
          log(`${signal} again: stopping now`);
          agent.kill();
        }
      };
      signals.on('SIGTERM', onSignal);
      signals.on('SIGINT', onSignal);
      let code: number;
      try {
        code = await agent.run();
      } catch (error) {
        if (!(error instanceof RunnerFatalError)) throw error;
        log(error.message);
        code = 1;
      } finally {
        signals.off('SIGTERM', onSignal);
        signals.off('SIGINT', onSignal);
      }
      if (code !== 0) throw new CliExit(code);
    });
}
