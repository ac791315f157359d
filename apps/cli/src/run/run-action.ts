import { hostname } from 'node:os';
import { osUser } from '../os-user';
import { displayCommand, startCommand, type RunningCommand } from '../runner/command-executor';
import { resolveCorrelationId } from './correlation-id';
import { ForwardedSignals, type SignalSource } from './forwarded-signals';
import { clientSink, redact, type SinkFactory } from './report-delivery';
import { DEFAULT_SPOOL_LIMITS, ReportSpool, type SpoolLimits } from './report-spool';
import { loadRunConfig, runtrailPaths, type RunConfig } from './run-config';
import { endReport, newRun, startReport, type RunIdentity, type RunStart } from './run-report';
import { DEFAULT_REPORT_BUDGET, RunReporter, type ReportBudget, type ReporterDeps } from './run-reporter';

/** What `runtrail run` was given on its command line (commander's camel-cased options). */
export interface RunFlags {
  workspace: string;
  block: string;
  action: string;
  from?: string;
  blockVersion?: string;
  /** Checked by the command before anything runs (correlationIdProblem). */
  correlationId?: string;
}

/** The part of RunReporter the action uses. */
export type Reporter = Pick<RunReporter, 'begin' | 'finish'>;

export interface RunActionDeps {
  env?: NodeJS.ProcessEnv;
  /** Where SIGINT and SIGTERM come from; the process in main. */
  signals?: SignalSource;
  /** How reports are sent; RuntrailClient.submitActionRuns by default. */
  sink?: SinkFactory;
  start?: (argv: readonly string[]) => RunningCommand;
  budget?: ReportBudget;
  spoolLimits?: SpoolLimits;
  /** loadRunConfig by default. */
  loadConfig?: (env: NodeJS.ProcessEnv) => RunConfig;
  /** A RunReporter by default. */
  reporter?: (deps: ReporterDeps) => Reporter;
}

export interface RunContext {
  /** This CLI's version, sent as cliVersion. */
  version: string;
  /** One line on stderr, prefixed by the caller. */
  warn: (line: string) => void;
}

type ReportingConfig = Extract<RunConfig, { mode: 'report' }>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function couldNotReport(error: unknown, config: ReportingConfig): string {
  return `could not report the run (${redact(messageOf(error), [config.apiKey])})`;
}

// Nothing about reporting may stop the command from running, not even a config that cannot be loaded.
function loadConfigOrNone(env: NodeJS.ProcessEnv, load: (env: NodeJS.ProcessEnv) => RunConfig): RunConfig {
  try {
    return load(env);
  } catch (error) {
    return { mode: 'unconfigured', paths: runtrailPaths({ HOME: '.' }), problem: `the configuration could not be read (${messageOf(error)})` };
  }
}

function identityOf(flags: RunFlags, version: string, correlationId: string | undefined): RunIdentity {
  const { workspace, block, action, from, blockVersion } = flags;
  return { workspace, block, action, from, blockVersion, hostname: hostname(), osUser: osUser(), cliVersion: version, correlationId };
}

/** A reporter that has started sending, or the warning why there is none. */
function beginReporting(config: ReportingConfig, identity: RunIdentity, run: RunStart, deps: RunActionDeps): Reporter | string {
  try {
    const budget = deps.budget ?? DEFAULT_REPORT_BUDGET;
    const reporter = (deps.reporter ?? ((d) => new RunReporter(d)))({
      sink: (deps.sink ?? clientSink)({ url: config.url, apiKey: config.apiKey, timeoutMs: budget.timeoutMs }),
      spool: new ReportSpool(config.paths.dir, deps.spoolLimits ?? DEFAULT_SPOOL_LIMITS),
      secrets: [config.apiKey],
      budget,
    });
    reporter.begin(startReport(identity, run));
    return reporter;
  } catch (error) {
    return couldNotReport(error, config);
  }
}

/**
 * `runtrail run` (apps/cli/README.md#runtrail-run): starts the command before anything else, forwards SIGINT
 * and SIGTERM to it, reports the run as far as the budget allows, and prints at most one
 * warning per kind. Resolves to the command's exit code, whatever became of the reports.
 */
export async function runAction(command: string[], flags: RunFlags, { version, warn }: RunContext, deps: RunActionDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const config = loadConfigOrNone(env, deps.loadConfig ?? loadRunConfig);
  const correlation = resolveCorrelationId(flags.correlationId, env);
  const identity = identityOf(flags, version, correlation.correlationId);

  // The command first: reporting must never hold it up.
  const run = newRun();
  const running = (deps.start ?? startCommand)(command);
  const signals = new ForwardedSignals(running, deps.signals ?? process);
  try {
    const warnings: string[] = [];
    let reporter: Reporter | undefined;
    if (config.mode === 'report') {
      const begun = beginReporting(config, identity, run, deps);
      if (typeof begun === 'string') warnings.push(begun);
      else reporter = begun;
    }

    const outcome = await running.done;
    signals.commandEnded();
    if (outcome.spawnError !== undefined) warn(`cannot run ${displayCommand(command.slice(0, 1))}: ${outcome.spawnError}`);

    if (config.mode === 'unconfigured') warnings.push(`not reporting the run: ${config.problem}`);
    if (config.mode === 'report' && config.notice) warnings.push(config.notice);
    // Only a run that is reported misses its correlation id.
    if (config.mode === 'report' && correlation.warning) warnings.push(correlation.warning);
    if (reporter && config.mode === 'report') {
      const ending = { exitCode: outcome.exitCode, signal: outcome.signal, interrupted: signals.interrupted };
      try {
        warnings.push(...(await reporter.finish(endReport(identity, run, ending), signals.hurry)));
      } catch (error) {
        warnings.push(couldNotReport(error, config));
      }
    }
    for (const line of warnings) warn(line);
    return outcome.exitCode;
  } finally {
    signals.dispose();
  }
}
