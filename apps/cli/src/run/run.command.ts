import type { Command } from 'commander';
import { CliExit } from '../cli-exit';
import type { CliOutput } from '../program';
import { CI_CORRELATION_VARIABLES, CORRELATION_ID_ENV, correlationIdProblem } from './correlation-id';
import { RUN_ENV } from './run-config';
import { runAction, type RunActionDeps, type RunFlags } from './run-action';

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

Correlation id (ties the runs of one pipeline or change together): --correlation-id,
else ${CORRELATION_ID_ENV}, else the CI's pipeline id, from the first one set of
${CI_CORRELATION_VARIABLES.map((c) => `  ${c.variable.padEnd(20)}${c.ci}`).join('\n')}
1 to 128 printable characters; an invalid --correlation-id is a usage
error, an invalid variable is left out with one warning.

Example:
  runtrail run --workspace acme-prod --block nginx --action deploy \\
    --from registry.example.com/infra/nginx:0.3.1 -- polycrate run nginx deploy
`;

/** `runtrail run` (apps/cli/README.md#runtrail-run): runs a command and reports it as an action run, fail-safe. */
export function registerRunCommand(program: Command, version: string, output: CliOutput, deps: RunActionDeps = {}): Command {
  return program
    .command('run')
    .description('run a command, passing its output and exit code through, and report it as an action run')
    .usage('--workspace <name> --block <name> --action <name> [options] -- <command> [args...]')
    .requiredOption('--workspace <name>', 'the workspace the run belongs to')
    .requiredOption('--block <name>', 'the block, as named in the workspace')
    .requiredOption('--action <name>', 'the action of the block')
    .option('--from <ref>', 'the block reference as written in the workspace, e.g. registry/path/nginx:0.3.1')
    .option('--block-version <version>', 'the block version (the server defaults it to the tag of --from)')
    .option('--correlation-id <id>', `ties the run to a pipeline or change (default: ${CORRELATION_ID_ENV}, else the CI's pipeline id)`)
    .argument('<command...>', 'the command to run and its arguments (after --)')
    .passThroughOptions()
    .addHelpText('after', RUN_HELP)
    .action(async (command: string[], flags: RunFlags, self: Command) => {
      // Refused before anything runs: a flag is the caller's deliberate choice. (The value is
      // not echoed: it may hold control characters.)
      const problem = flags.correlationId === undefined ? undefined : correlationIdProblem(flags.correlationId);
      if (problem !== undefined) self.error(`error: --correlation-id ${problem}`, { exitCode: 1, code: 'runtrail.invalidCorrelationId' });
      const code = await runAction(command, flags, { version, warn: (line) => output.writeErr(`runtrail: ${line}\n`) }, deps);
      if (code !== 0) throw new CliExit(code);
    });
}
