import { createPublicKey } from 'node:crypto';
import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { CommandHandler, type CommandHandlerDeps, type RunnerHost } from './command-handler';
import { RunnerClient, answerMessage, describeError, type RunnerSession } from '@runtrail/client';
import { parseNatsServers } from '@runtrail/contracts';
import type { RunnerOptions } from './runner-options';

export const HEARTBEAT_EVERY_MS = 10_000;
/** How long one pull waits for a command (the server's floor is 1 s). */
export const FETCH_EXPIRES_MS = 5000;

/** The agent cannot serve at all (refused token, unusable session): exit 1. */
export class RunnerFatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerFatalError';
  }
}

export interface RunnerAgentDeps {
  options: RunnerOptions;
  host: RunnerHost;
  log: (line: string) => void;
  api?: RunnerClient;
  connectNats?: (servers: string[], name: string, inboxPrefix: string) => Promise<NatsConnection>;
  heartbeatEveryMs?: number;
  handler?: Partial<Pick<CommandHandlerDeps, 'workingEveryMs' | 'nakDelayMs' | 'start'>>;
}

function isSession(body: unknown): body is RunnerSession {
  const b = body as Partial<RunnerSession> | null;
  return (
    typeof b === 'object' && b !== null &&
    ['runnerId', 'tenantId', 'name', 'stream', 'consumer', 'subject', 'signingPublicKey'].every((k) => typeof (b as Record<string, unknown>)[k] === 'string') &&
    Array.isArray(b.workspaces)
  );
}

const defaultConnect = (servers: string[], name: string, inboxPrefix: string) =>
  connect({ ...parseNatsServers(servers), name, inboxPrefix, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });

/**
 * Replies to the agent (its pull requests' messages) arrive under a prefix of its own, so
 * a NATS server can let each agent subscribe to its own inbox only (deploy/nats).
 */
export function runnerInboxPrefix(runnerId: string): string {
  return `_INBOX_${runnerId}`;
}

/**
 * `runtrail runner` (CONTRACT §5, ADR 0007): learns who it is from its session,
 * heartbeats, and pulls its commands one at a time from its own durable consumer until
 * stopped. A stop lets the running command finish and be reported, then says offline and
 * drains NATS; a second stop (kill) ends the command with SIGTERM.
 */
export class RunnerAgent {
  private readonly api: RunnerClient;
  private stopping = false;
  private killed = false;
  private exitCode = 0;
  private wake!: () => void;
  private readonly stopped = new Promise<void>((resolve) => (this.wake = resolve));
  private fetching?: ConsumerMessages;
  private handler?: CommandHandler;
  private nc?: NatsConnection;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatInFlight?: Promise<void>;

  constructor(private readonly deps: RunnerAgentDeps) {
    const { options } = deps;
    this.api = deps.api ?? new RunnerClient({ ingestUrl: options.ingestUrl, queryUrl: options.queryUrl, token: options.token });
  }

  get stopRequested(): boolean {
    return this.stopping;
  }

  /** First signal: take no new command, finish the current one, then end cleanly. */
  stop(exitCode = 0): void {
    this.exitCode = Math.max(this.exitCode, exitCode);
    if (this.stopping) return;
    this.stopping = true;
    this.wake();
    // Ends a pull that is waiting for a command; one delivering a message is left alone.
    void this.fetching?.close().catch(() => undefined);
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
    const session = await this.openSession();
    if (!session) return this.exitCode;
    const { log, options } = this.deps;
    log(
      `serving runner ${session.name} (${session.runnerId}) of tenant ${session.tenantId} for workspaces ${session.workspaces.join(', ')}; ` +
        `commands from ${session.stream}/${session.consumer}`,
    );
    if (!session.stream.startsWith(`${options.namespace}-`)) {
      log(`note: the session's stream ${session.stream} is not in namespace ${options.namespace}; using the session's`);
    }
    this.handler = new CommandHandler({
      api: this.api,
      session,
      execWords: options.execWords,
      host: this.deps.host,
      log,
      onRefused: (message) => this.refused(message),
      hurried: () => this.killed,
      ...this.deps.handler,
    });
    this.startHeartbeats();
    try {
      await this.consume(session);
    } finally {
      await this.shutdown();
    }
    return this.exitCode;
  }

  /** Waits `ms`, or less when a stop comes first. */
  private async pause(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))), this.stopped]);
    clearTimeout(timer);
  }

  private refused(message: string): void {
    if (!this.stopping) this.deps.log(`${message}; stopping`);
    this.stop(1);
  }

  /** `GET /v1/runner-session`, retried while the service is unreachable. */
  private async openSession(): Promise<RunnerSession | undefined> {
    for (let failures = 1; !this.stopping; failures++) {
      let problem: string;
      try {
        const answer = await this.api.session();
        if (answer.status === 200) {
          if (!isSession(answer.body)) throw new RunnerFatalError('the query service answered GET /v1/runner-session with something that is not a session');
          this.checkSigningKey(answer.body.signingPublicKey);
          return answer.body;
        }
        if (answer.status === 401) throw new RunnerFatalError('the runner token was refused');
        if (answer.status === 403) throw new RunnerFatalError(`the token is not a runner token (${answerMessage(answer)})`);
        if (answer.status < 500 && answer.status !== 429) {
          throw new RunnerFatalError(`GET /v1/runner-session answered ${answer.status}: ${answerMessage(answer)}`);
        }
        problem = `answered ${answer.status}`;
      } catch (error) {
        if (error instanceof RunnerFatalError) throw error;
        problem = `is unreachable: ${describeError(error)}`;
      }
      const wait = backoffMs(failures);
      this.deps.log(`the query service at ${this.deps.options.queryUrl} ${problem}; retrying in ${Math.round(wait / 1000)} s`);
      await this.pause(wait);
    }
    return undefined;
  }

  private checkSigningKey(pem: string): void {
    let type: string | undefined;
    try {
      type = createPublicKey(pem).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'ed25519') throw new RunnerFatalError('the session carries no usable Ed25519 command signing key');
  }

  private startHeartbeats(): void {
    const beat = () => {
      if (this.heartbeatInFlight || this.stopping) return;
      this.heartbeatInFlight = this.heartbeat().finally(() => (this.heartbeatInFlight = undefined));
    };
    beat();
    this.heartbeatTimer = setInterval(beat, this.deps.heartbeatEveryMs ?? HEARTBEAT_EVERY_MS);
  }

  private async heartbeat(): Promise<void> {
    try {
      const answer = await this.api.heartbeat({ hostname: this.deps.host.hostname, version: this.deps.host.cliVersion });
      if (answer.status === 401) this.refused('the runner token was refused (was the runner removed?)');
      else if (answer.status !== 204) this.deps.log(`heartbeat answered ${answer.status}: ${answerMessage(answer)}`);
    } catch (error) {
      this.deps.log(`heartbeat failed: ${describeError(error)}`);
    }
  }

  private async connectNats(runnerId: string): Promise<NatsConnection> {
    if (this.nc && !this.nc.isClosed()) return this.nc;
    const connectTo = this.deps.connectNats ?? defaultConnect;
    const nc = await connectTo(this.deps.options.natsServers, `runtrail-runner`, runnerInboxPrefix(runnerId));
    this.nc = nc;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.deps.log(`NATS disconnected from ${status.server}; reconnecting`);
        else if (status.type === 'reconnect') this.deps.log(`NATS reconnected to ${status.server}`);
      }
    })().catch(() => undefined);
    return nc;
  }

  /** One message at a time from the runner's own consumer; NATS trouble restarts the loop. */
  private async consume(session: RunnerSession): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        const nc = await this.connectNats(session.runnerId);
        const consumer = await jetstream(nc).consumers.get(session.stream, session.consumer);
        if (failures > 0) this.deps.log(`receiving commands again from ${session.stream}/${session.consumer}`);
        failures = 0;
        while (!this.stopping) {
          const messages = await consumer.fetch({ max_messages: 1, expires: FETCH_EXPIRES_MS });
          this.fetching = messages;
          if (this.stopping) void messages.close().catch(() => undefined);
          for await (const msg of messages) {
            this.fetching = undefined;
            if (this.stopping) {
              // Taken off the wire while stopping: give it straight back.
              msg.nak();
              continue;
            }
            await (this.handler as CommandHandler).handle(msg);
          }
          this.fetching = undefined;
        }
      } catch (error) {
        this.fetching = undefined;
        if (this.stopping) break;
        failures++;
        const wait = backoffMs(failures);
        this.deps.log(`receiving commands failed: ${describeError(error)}; retrying in ${Math.round(wait / 1000)} s`);
        await this.pause(wait);
      }
    }
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.heartbeatTimer);
    await this.heartbeatInFlight;
    try {
      const answer = await this.api.heartbeat({ state: 'offline' }, this.killed ? 1 : 3);
      if (answer.status !== 204) this.deps.log(`offline heartbeat answered ${answer.status}: ${answerMessage(answer)}`);
    } catch (error) {
      this.deps.log(`offline heartbeat failed: ${describeError(error)}`);
    }
    const nc = this.nc;
    if (nc && !nc.isClosed()) {
      await (this.killed ? nc.close() : nc.drain()).catch((error: unknown) => this.deps.log(`closing NATS: ${describeError(error)}`));
    }
    this.deps.log('stopped');
  }
}

/** 1 s, 2 s, 4 s, ... up to `capMs`: how long the agent waits before it asks again. */
export function backoffMs(failures: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
}
