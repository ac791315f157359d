import { randomUUID } from 'node:crypto';
import { CommandRejectedError, verifyCommand, type CommandPayload } from '@runtrail/contracts';
import { displayCommand, startCommand, type CommandOutcome, type RunningCommand } from './command-executor';
import { expandExecTemplate } from './exec-template';
import { answerMessage, describeError, type ApiAnswer, type RunnerClient, type RunnerSession } from '@runtrail/client';
import type { ConsumedMessage, Settlement } from '@runtrail/messaging';

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
  /** Redelivery delay after a failed accept. */
  nakDelayMs?: number;
}

/** A command it may never run: never delivered again. */
const REJECTED: Settlement = 'term';
/** Taken before, expired or done (409), or run: settled. */
const DONE: Settlement = 'ack';

function claimedCommandId(message: unknown): string {
  const payload = (message as { payload?: { commandId?: unknown } } | null)?.payload;
  return typeof payload?.commandId === 'string' ? payload.commandId.slice(0, 64) : '(no id)';
}

function present(value: string | null | undefined): value is string {
  return value !== undefined && value !== null;
}

/** The re-run reports the same block as the run it repeats; a payload signed before blockFrom and blockVersion existed has the name only. */
function blockOf(payload: CommandPayload): { name: string; from?: string; version?: string } {
  return {
    name: payload.block,
    ...(present(payload.blockFrom) ? { from: payload.blockFrom } : {}),
    ...(present(payload.blockVersion) ? { version: payload.blockVersion } : {}),
  };
}

function rejectionDetail(error: CommandRejectedError): string {
  return error.message.replace(/^command rejected \([^)]*\): /, '');
}

/**
 * One command message, from verification to settlement (ADR 0007): verify the signature,
 * tenant, runner and expiry; take it with accept (exactly one taker); report the new run
 * to ingest and the command's status to query around running the vector. It answers what
 * becomes of the message: acked once run or found taken, terminated when it may never
 * run, given back for later when it could not be taken yet. The transport keeps the
 * message's ack deadline alive while the command runs.
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

  async handle(msg: ConsumedMessage): Promise<Settlement> {
    const { log, session } = this.deps;
    let message: unknown;
    try {
      message = JSON.parse(Buffer.from(msg.data).toString('utf8'));
    } catch {
      log('rejected a message that is not JSON (malformed); not run');
      return REJECTED;
    }
    let payload: CommandPayload;
    try {
      payload = verifyCommand(message, session.signingPublicKey, { tenantId: session.tenantId, runnerId: session.runnerId });
    } catch (error) {
      if (error instanceof CommandRejectedError) {
        log(`command ${claimedCommandId(message)} rejected (${error.reason}): ${rejectionDetail(error)}; not run`);
        return REJECTED;
      }
      // The public key itself is unusable: nothing this message can fix.
      log(`cannot verify command ${claimedCommandId(message)}: ${describeError(error)}`);
      return this.later();
    }
    if (!session.workspaces.includes('*') && !session.workspaces.includes(payload.workspace)) {
      log(`command ${payload.commandId} rejected (wrong-workspace): this runner does not serve workspace ${payload.workspace}; not run`);
      return REJECTED;
    }
    return this.take(payload);
  }

  /** Given back, to come again after the nak delay. */
  private later(): Settlement {
    return { nakDelayMs: this.deps.nakDelayMs ?? 5000 };
  }

  private async take(payload: CommandPayload): Promise<Settlement> {
    const { api, log } = this.deps;
    const id = payload.commandId;
    let answer: ApiAnswer;
    try {
      answer = await api.accept(id);
    } catch (error) {
      log(`command ${id}: could not accept it (${describeError(error)}); it comes back in 5 s`);
      return this.later();
    }
    if (answer.status === 409) {
      // Taken before (a redelivery, a reconnect), expired, or done: never run twice.
      log(`command ${id} skipped: ${answerMessage(answer)}`);
      return DONE;
    }
    if (answer.status === 404) {
      log(`command ${id} rejected: the query service does not know it for this runner; not run`);
      return REJECTED;
    }
    if (answer.status === 401) this.deps.onRefused('the runner token was refused');
    if (answer.status !== 200) {
      log(`command ${id}: accept answered ${answer.status} (${answerMessage(answer)}); it comes back in 5 s`);
      return this.later();
    }

    const argv = expandExecTemplate(this.deps.execWords, {
      block: payload.block,
      action: payload.action,
      workspace: payload.workspace,
      run_id: payload.runId,
      command_id: id,
    });
    log(`command ${id} accepted (re-running run ${payload.runId}): ${displayCommand(argv)}`);
    const outcome = await this.run(payload, argv);
    log(`command ${id} finished with exit code ${outcome.exitCode}`);
    return DONE;
  }

  private async run(payload: CommandPayload, argv: string[]): Promise<CommandOutcome> {
    const { api, host } = this.deps;
    const id = payload.commandId;
    const newRunId = randomUUID();
    const run = {
      id: newRunId,
      workspace: { name: payload.workspace },
      block: blockOf(payload),
      action: payload.action,
      hostname: host.hostname,
      ...(host.osUser !== undefined ? { osUser: host.osUser } : {}),
      cliVersion: host.cliVersion,
      retriggeredFrom: payload.runId,
      commandId: id,
      ...(present(payload.correlationId) ? { correlationId: payload.correlationId } : {}),
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
