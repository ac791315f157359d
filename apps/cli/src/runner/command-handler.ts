import { randomUUID } from 'node:crypto';
import { CommandRejectedError, verifyCommand, type CommandPayload } from '@runtrail/contracts';
import { displayCommand, startCommand, type CommandOutcome, type RunningCommand } from './command-executor';
import { expandExecTemplate } from './exec-template';
import { answerMessage, describeError, type ApiAnswer, type RunnerClient, type RunnerSession } from '@runtrail/client';

/** The part of a JetStream message the handler uses (JsMsg has it). */
export interface CommandMessage {
  string(): string;
  ack(): void;
  nak(millis?: number): void;
  /** Never with a reason: nats-server before 2.10 takes `+TERM <reason>` for no ack at all. */
  term(): void;
  working(): void;
}

/** Who the agent reports as, in every action run. */
export interface RunnerHost {
  hostname: string;
  osUser?: string;
  cliVersion: string;
}

export interface CommandHandlerDeps {
  api: RunnerClient;
  session: RunnerSession;
  execWords: readonly string[];
  host: RunnerHost;
  log: (line: string) => void;
  /** Told when the server refuses the token (401): the agent stops. */
  onRefused: (message: string) => void;
  /** True after a second signal: the command was killed, report once and quickly. */
  hurried?: () => boolean;
  start?: (argv: readonly string[]) => RunningCommand;
  /** How often the message's ack deadline (ack_wait 60 s) is pushed back while it runs. */
  workingEveryMs?: number;
  /** Redelivery delay after a failed accept. */
  nakDelayMs?: number;
}

/** What became of one message; the agent's tests and logs read it. */
export type HandledAs = 'rejected' | 'skipped' | 'retry-later' | 'ran';

function claimedCommandId(message: unknown): string {
  const payload = (message as { payload?: { commandId?: unknown } } | null)?.payload;
  return typeof payload?.commandId === 'string' ? payload.commandId.slice(0, 64) : '(no id)';
}

function rejectionDetail(error: CommandRejectedError): string {
  return error.message.replace(/^command rejected \([^)]*\): /, '');
}

/**
 * One command message, from verification to ack (CONTRACT §4, ADR 0007): verify the
 * signature, tenant, runner and expiry; take it with accept (exactly one taker); report
 * the new run to ingest and the command's status to query around running the vector;
 * ack. A message it may never run is terminated, one it could not take yet is nak'd.
 */
export class CommandHandler {
  private running?: RunningCommand;

  constructor(private readonly deps: CommandHandlerDeps) {}

  /** Sends a signal to the running command, if any. */
  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    if (!this.running) return false;
    this.running.kill(signal);
    return true;
  }

  async handle(msg: CommandMessage): Promise<HandledAs> {
    const { log, session } = this.deps;
    let message: unknown;
    try {
      message = JSON.parse(msg.string());
    } catch {
      log('rejected a message that is not JSON (malformed); not run');
      msg.term();
      return 'rejected';
    }
    let payload: CommandPayload;
    try {
      payload = verifyCommand(message, session.signingPublicKey, { tenantId: session.tenantId, runnerId: session.runnerId });
    } catch (error) {
      if (error instanceof CommandRejectedError) {
        log(`command ${claimedCommandId(message)} rejected (${error.reason}): ${rejectionDetail(error)}; not run`);
        msg.term();
        return 'rejected';
      }
      // The public key itself is unusable: nothing this message can fix.
      log(`cannot verify command ${claimedCommandId(message)}: ${describeError(error)}`);
      msg.nak(this.deps.nakDelayMs ?? 5000);
      return 'retry-later';
    }
    if (!session.workspaces.includes('*') && !session.workspaces.includes(payload.workspace)) {
      log(`command ${payload.commandId} rejected (wrong-workspace): this runner does not serve workspace ${payload.workspace}; not run`);
      msg.term();
      return 'rejected';
    }
    return this.take(msg, payload);
  }

  private async take(msg: CommandMessage, payload: CommandPayload): Promise<HandledAs> {
    const { api, log } = this.deps;
    const id = payload.commandId;
    let answer: ApiAnswer;
    try {
      answer = await api.accept(id);
    } catch (error) {
      log(`command ${id}: could not accept it (${describeError(error)}); it comes back in 5 s`);
      msg.nak(this.deps.nakDelayMs ?? 5000);
      return 'retry-later';
    }
    if (answer.status === 409) {
      // Taken before (a redelivery, a reconnect), expired, or done: never run twice.
      log(`command ${id} skipped: ${answerMessage(answer)}`);
      msg.ack();
      return 'skipped';
    }
    if (answer.status === 404) {
      log(`command ${id} rejected: the query service does not know it for this runner; not run`);
      msg.term();
      return 'rejected';
    }
    if (answer.status === 401) this.deps.onRefused('the runner token was refused');
    if (answer.status !== 200) {
      log(`command ${id}: accept answered ${answer.status} (${answerMessage(answer)}); it comes back in 5 s`);
      msg.nak(this.deps.nakDelayMs ?? 5000);
      return 'retry-later';
    }

    const argv = expandExecTemplate(this.deps.execWords, {
      block: payload.block,
      action: payload.action,
      workspace: payload.workspace,
      run_id: payload.runId,
      command_id: id,
    });
    log(`command ${id} accepted (re-running run ${payload.runId}): ${displayCommand(argv)}`);
    // From here on the message is ours: keep pushing its ack deadline back until the ack.
    const working = setInterval(() => msg.working(), this.deps.workingEveryMs ?? 10_000);
    try {
      const outcome = await this.run(payload, argv);
      log(`command ${id} finished with exit code ${outcome.exitCode}`);
    } finally {
      clearInterval(working);
    }
    msg.ack();
    return 'ran';
  }

  private async run(payload: CommandPayload, argv: string[]): Promise<CommandOutcome> {
    const { api, host } = this.deps;
    const id = payload.commandId;
    const newRunId = randomUUID();
    const run = {
      id: newRunId,
      workspace: { name: payload.workspace },
      block: { name: payload.block },
      action: payload.action,
      hostname: host.hostname,
      ...(host.osUser !== undefined ? { osUser: host.osUser } : {}),
      cliVersion: host.cliVersion,
      retriggeredFrom: payload.runId,
      commandId: id,
    };
    const startedAt = new Date().toISOString();
    await this.report(`command ${id}: reporting run ${newRunId} start`, () => api.reportRun({ ...run, status: 'running', startedAt }, this.attempts()), 202);
    await this.report(`command ${id}: reporting running`, () => api.reportStatus(id, { status: 'running', newRunId }, this.attempts()), 204);

    const running = (this.deps.start ?? startCommand)(argv);
    this.running = running;
    const outcome = await running.done.finally(() => {
      this.running = undefined;
    });
    if (outcome.spawnError !== undefined) {
      this.deps.log(`command ${id}: cannot start ${JSON.stringify(argv[0])}: ${outcome.spawnError}`);
    }

    const { exitCode } = outcome;
    const finishedAt = new Date().toISOString();
    await this.report(
      `command ${id}: reporting run ${newRunId} end`,
      () => api.reportRun({ ...run, status: exitCode === 0 ? 'successful' : 'failed', startedAt, finishedAt, exitCode }, this.attempts()),
      202,
    );
    await this.report(
      `command ${id}: reporting ${exitCode === 0 ? 'succeeded' : 'failed'}`,
      () => api.reportStatus(id, { status: exitCode === 0 ? 'succeeded' : 'failed', exitCode, newRunId }, this.attempts()),
      204,
    );
    return outcome;
  }

  private attempts(): number {
    return this.deps.hurried?.() ? 1 : 3;
  }

  /** Reports are best effort: a failure is one log line, never the end of the agent. */
  private async report(what: string, send: () => Promise<ApiAnswer>, expected: number): Promise<void> {
    try {
      const answer = await send();
      if (answer.status === 401) this.deps.onRefused('the runner token was refused');
      if (answer.status !== expected) this.deps.log(`${what} failed: ${answer.status} ${answerMessage(answer)}`);
    } catch (error) {
      this.deps.log(`${what} failed: ${describeError(error)}`);
    }
  }
}
