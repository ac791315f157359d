import { InvalidArgumentError, type Command } from 'commander';
import { CliExit } from '../cli-exit';
import type { CliOutput } from '../program';
import { DEFAULT_SPOOL_LIMITS, ReportSpool } from './report-spool';
import { loadRunConfig } from './run-config';
import { flushSpool } from './run-reporter';
import { clientSink } from './report-delivery';
import type { RunActionDeps } from './run-action';

/** `runtrail flush` waits longer than a run does: a person (or a cron job) asked for it. */
export const DEFAULT_FLUSH_TIMEOUT_SECONDS = 10;
const FLUSH_ATTEMPT_TIMEOUT_MS = 5000;

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new InvalidArgumentError('must be a number of seconds between 0 and 3600');
  return n;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * `runtrail flush`: sends the spooled run reports now (oldest first), keeps what does not
 * get through, moves what the API refuses as invalid to rejected.jsonl. Exit 0 when the
 * spool is empty afterwards (or reporting is switched off), 1 when reports are left.
 */
export function registerFlushCommand(program: Command, output: CliOutput, deps: Pick<RunActionDeps, 'env' | 'sink' | 'spoolLimits'> = {}): Command {
  return program
    .command('flush')
    .description('send the run reports kept in ~/.runtrail/spool.jsonl now')
    .option('--timeout <seconds>', `give up after this long (default ${DEFAULT_FLUSH_TIMEOUT_SECONDS})`, seconds, DEFAULT_FLUSH_TIMEOUT_SECONDS)
    .addHelpText(
      'after',
      '\nUses the configuration of `runtrail run` (~/.runtrail/config.yml, RUNTRAIL_API_URL, RUNTRAIL_API_KEY).\n' +
        'Prints what it sent; exits 0 when the spool is empty afterwards, 1 when reports are left in it.\n',
    )
    .action(async (flags: { timeout: number }) => {
      const config = loadRunConfig(deps.env ?? process.env);
      if (config.mode === 'off') {
        output.writeOut('runtrail: api.submit_action_runs is false: nothing sent\n');
        return;
      }
      if (config.mode === 'unconfigured') {
        output.writeErr(`runtrail: cannot send the spool: ${config.problem}\n`);
        throw new CliExit(1);
      }
      if (config.notice) output.writeErr(`runtrail: ${config.notice}\n`);
      const spool = new ReportSpool(config.paths.dir, deps.spoolLimits ?? DEFAULT_SPOOL_LIMITS);
      const sink = (deps.sink ?? clientSink)({ url: config.url, apiKey: config.apiKey, timeoutMs: FLUSH_ATTEMPT_TIMEOUT_MS });
      const result = await flushSpool(spool, sink, {
        deadline: Date.now() + flags.timeout * 1000,
        timeoutMs: FLUSH_ATTEMPT_TIMEOUT_MS,
        secrets: [config.apiKey],
      });
      output.writeOut(
        `runtrail: sent ${plural(result.delivered, 'report')}, ${result.rejected.length} rejected, ${result.left} left in ${spool.path}\n`,
      );
      if (result.rejected.length > 0) {
        output.writeErr(`runtrail: the API refused ${plural(result.rejected.length, 'report')} as invalid (${result.rejected[0].reason}); moved to ${spool.rejectedPath}\n`);
      }
      if (result.left > 0) {
        output.writeErr(`runtrail: could not send ${plural(result.left, 'report')} (${result.problem ?? 'not sent'}); kept in ${spool.path}\n`);
        throw new CliExit(1);
      }
    });
}
