import { RunnerClient, type RunnerSession } from '@runtrail/client';
import { CommandHandler, type CommandHandlerDeps, type RunnerHost } from './command-handler';
import { NatsCommandLoop, type CommandLoop } from './command-loop';
import { Heartbeats } from './heartbeats';
import { openRunnerSession } from './runner-session';
import type { RunnerOptions } from './runner-options';

export interface RunnerAgentDeps {
  options: RunnerOptions;
  host: RunnerHost;
  log: (line: string) => void;
  api?: RunnerClient;
  /** Where commands come from; the runner's NATS consumer by default. */
  commandLoop?: (session: RunnerSession, stopping: AbortSignal) => CommandLoop;
  heartbeatEveryMs?: number;
  handler?: Partial<Pick<CommandHandlerDeps, 'nakDelayMs' | 'start'>>;
}

/**
 * `runtrail runner` (apps/cli/README.md#runtrail-runner, ADR 0007): learns who it is from its session,
 * heartbeats, and serves its commands one at a time until stopped. A stop lets the
 * running command finish and be reported, then says offline and drains NATS; a second
 * stop (kill) ends the command with SIGTERM.
 */
export class RunnerAgent {
  private readonly api: RunnerClient;
  private readonly stopping = new AbortController();
  private killed = false;
  private exitCode = 0;
  private handler?: CommandHandler;

  constructor(private readonly deps: RunnerAgentDeps) {
    const { options } = deps;
    this.api = deps.api ?? new RunnerClient({ ingestUrl: options.ingestUrl, queryUrl: options.queryUrl, token: options.token });
  }

  get stopRequested(): boolean {
    return this.stopping.signal.aborted;
  }

  /** First signal: take no new command, finish the current one, then end cleanly. */
  stop(exitCode = 0): void {
    this.exitCode = Math.max(this.exitCode, exitCode);
    this.stopping.abort();
  }

  /** Second signal: SIGTERM to the running command (SIGKILL 5 s later), and exit 1. */
  kill(): void {
    this.stop(1);
    if (this.killed) return;
    this.killed = true;
    if (this.handler?.kill('SIGTERM')) {
      this.deps.log('killing the running command (SIGTERM)');
      setTimeout(() => this.handler?.kill('SIGKILL'), 5000).unref();
    }
  }

  /** Serves until stopped; resolves to the exit code, or rejects with a RunnerFatalError. */
  async run(): Promise<number> {
    const { log, options } = this.deps;
    const stopping = this.stopping.signal;
    const session = await openRunnerSession({ api: this.api, queryUrl: options.queryUrl, log, stopping });
    if (!session) return this.exitCode;
    this.announce(session);
    const handler = new CommandHandler({
      api: this.api,
      session,
      execWords: options.execWords,
      host: this.deps.host,
      log,
      onRefused: (message) => this.refused(message),
      hurried: () => this.killed,
      ...this.deps.handler,
    });
    this.handler = handler;
    const heartbeats = new Heartbeats({
      api: this.api,
      host: this.deps.host,
      log,
      onRefused: (message) => this.refused(message),
      stopping,
      everyMs: this.deps.heartbeatEveryMs,
    });
    const commands =
      this.deps.commandLoop?.(session, stopping) ??
      new NatsCommandLoop({ servers: options.natsServers, session, log, stopping });
    heartbeats.start();
    try {
      await commands.run((msg) => handler.handle(msg));
    } finally {
      await heartbeats.stop();
      await heartbeats.sendOffline(this.killed ? 1 : 3);
      await commands.close(this.killed);
      log('stopped');
    }
    return this.exitCode;
  }

  private announce(session: RunnerSession): void {
    const { log, options } = this.deps;
    log(
      `serving runner ${session.name} (${session.runnerId}) of tenant ${session.tenantId} for workspaces ${session.workspaces.join(', ')}; ` +
        `commands from ${session.stream}/${session.consumer}`,
    );
    if (!session.stream.startsWith(`${options.namespace}-`)) {
      log(`note: the session's stream ${session.stream} is not in namespace ${options.namespace}; using the session's`);
    }
  }

  private refused(message: string): void {
    if (!this.stopRequested) this.deps.log(`${message}; stopping`);
    this.stop(1);
  }
}
