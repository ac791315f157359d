import { NestFactory } from '@nestjs/core';
import { describeError, type RunnerSession } from '@runtrail/client';
import { JetStreamServer, NatsClient, RUNNER_ACK_WAIT_MS, useJetStreamErrors, type ConnectionLog } from '@runtrail/messaging';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import type { RetryWaitDeps } from './retry-wait';
import { RUNNER_COMMANDS, RunnerCommandsModule, type CommandHandling } from './runner-commands.module';

/** How long one pull waits for a command (the server's floor is 1 s). */
export const FETCH_EXPIRES_MS = 5000;
/** How often a command in hand is reported in progress: well inside its consumer's ack wait (10 s of 60 s). */
const WORKING_EVERY_MS = RUNNER_ACK_WAIT_MS / 6;

/** Where the agent's commands come from, one at a time. */
export interface CommandLoop {
  /** Hands each command to `handle`, the next only once it has settled, until the agent stops. */
  run(handle: CommandHandling): Promise<void>;
  /** After `run`: lets what was acked reach the server, or drops the connection at once when `hurried`. */
  close(hurried: boolean): Promise<void>;
}

export interface NatsCommandLoopDeps extends RetryWaitDeps {
  servers: string[];
  session: Pick<RunnerSession, 'runnerId' | 'stream' | 'consumer'>;
}

/**
 * Replies to the agent (its pull requests' messages) arrive under a prefix of its own, so
 * a NATS server can let each agent subscribe to its own inbox only (deploy/nats).
 */
export function runnerInboxPrefix(runnerId: string): string {
  return `_INBOX_${runnerId}`;
}

function until(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

/**
 * The runner's own durable consumer, served as a Nest microservice over the JetStream
 * transport that the projector uses too (ADR 0011): one message per fetch; a NATS error
 * restarts the fetching; a stop closes a fetch that is still waiting, lets the command in
 * hand finish and be settled, and takes nothing new.
 */
export class NatsCommandLoop implements CommandLoop {
  private client?: NatsClient;

  constructor(private readonly deps: NatsCommandLoopDeps) {}

  async run(handle: CommandHandling): Promise<void> {
    const client = await this.connect();
    if (!client) return;
    const { session, log } = this.deps;
    const server = new JetStreamServer(client, [
      {
        pattern: RUNNER_COMMANDS,
        stream: session.stream,
        durable: session.consumer,
        batchSize: 1,
        fetchExpiresMs: FETCH_EXPIRES_MS,
        workingEveryMs: WORKING_EVERY_MS,
        onStop: 'interrupt',
        backoff: BACKOFF.agent,
        events: {
          fetchFailed: (error, _failures, delayMs) => log(`receiving commands failed: ${describeError(error)}; retrying in ${Math.round(delayMs / 1000)} s`),
          resumed: () => log(`receiving commands again from ${session.stream}/${session.consumer}`),
          handlerFailed: (error) => log(`handling a command failed: ${describeError(error)}; trying it again`),
        },
      },
    ]);
    const app = useJetStreamErrors(await NestFactory.createMicroservice(RunnerCommandsModule.serving(handle), { strategy: server, logger: false }));
    await app.listen();
    await until(this.deps.stopping);
    await app.close();
  }

  async close(hurried: boolean): Promise<void> {
    const client = this.client;
    if (!client) return;
    await (hurried ? client.nc.close() : client.close()).catch((error: unknown) => this.deps.log(`closing NATS: ${describeError(error)}`));
  }

  /** Connects as the runner, asking again while NATS is unreachable; undefined when stopped first. */
  private async connect(): Promise<NatsClient | undefined> {
    const { servers, session, log, stopping } = this.deps;
    const connectionLog: ConnectionLog = {
      info: (fields, message) => log(`${message}${fields.server ? ` (${String(fields.server)})` : ''}`),
      warn: (fields, message) => log(`${message}${fields.server ? ` (${String(fields.server)})` : ''}`),
    };
    try {
      this.client = await retry(
        () => NatsClient.connect({ servers, name: 'runtrail-runner', inboxPrefix: runnerInboxPrefix(session.runnerId), waitOnFirstConnect: false }, connectionLog),
        {
          policy: BACKOFF.agent,
          signal: stopping,
          onRetry: (error, _failures, delayMs) => log(`connecting to NATS failed: ${describeError(error)}; retrying in ${Math.round(delayMs / 1000)} s`),
        },
      );
      return this.client;
    } catch (error) {
      if (stopping.aborted) return undefined;
      throw error;
    }
  }
}
