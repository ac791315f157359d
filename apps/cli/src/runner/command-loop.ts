import { jetstream, type ConsumerMessages } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { describeError, type RunnerSession } from '@runtrail/client';
import { parseNatsServers } from '@runtrail/contracts';
import type { CommandMessage } from './command-handler';
import { waitToRetry, type RetryWaitDeps } from './retry-wait';

/** How long one pull waits for a command (the server's floor is 1 s). */
export const FETCH_EXPIRES_MS = 5000;

export type ConnectNats = (servers: string[], name: string, inboxPrefix: string) => Promise<NatsConnection>;

/** Where the agent's commands come from, one at a time. */
export interface CommandLoop {
  /** Hands each message to `handle`, the next only once it has resolved, until the agent stops. */
  run(handle: (msg: CommandMessage) => Promise<unknown>): Promise<void>;
  /** After `run`: lets what was acked reach the server, or drops the connection at once when `hurried`. */
  close(hurried: boolean): Promise<void>;
}

export interface NatsCommandLoopDeps extends RetryWaitDeps {
  servers: string[];
  session: Pick<RunnerSession, 'runnerId' | 'stream' | 'consumer'>;
  connect?: ConnectNats;
}

const defaultConnect: ConnectNats = (servers, name, inboxPrefix) =>
  connect({ ...parseNatsServers(servers), name, inboxPrefix, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });

/**
 * Replies to the agent (its pull requests' messages) arrive under a prefix of its own, so
 * a NATS server can let each agent subscribe to its own inbox only (deploy/nats).
 */
export function runnerInboxPrefix(runnerId: string): string {
  return `_INBOX_${runnerId}`;
}

/** Pulls from the runner's own durable consumer, one message per fetch; NATS trouble restarts the loop. */
export class NatsCommandLoop implements CommandLoop {
  private nc?: NatsConnection;
  private fetching?: ConsumerMessages;

  constructor(private readonly deps: NatsCommandLoopDeps) {
    // Ends a pull that is waiting for a command; one delivering a message is left alone.
    deps.stopping.addEventListener('abort', () => void this.fetching?.close().catch(() => undefined));
  }

  private get stopping(): boolean {
    return this.deps.stopping.aborted;
  }

  async run(handle: (msg: CommandMessage) => Promise<unknown>): Promise<void> {
    const { session } = this.deps;
    let failures = 0;
    while (!this.stopping) {
      try {
        const nc = await this.connect();
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
            await handle(msg);
          }
          this.fetching = undefined;
        }
      } catch (error) {
        this.fetching = undefined;
        if (this.stopping) break;
        failures++;
        await waitToRetry(failures, `receiving commands failed: ${describeError(error)}`, this.deps);
      }
    }
  }

  async close(hurried: boolean): Promise<void> {
    const nc = this.nc;
    if (nc && !nc.isClosed()) {
      await (hurried ? nc.close() : nc.drain()).catch((error: unknown) => this.deps.log(`closing NATS: ${describeError(error)}`));
    }
  }

  private async connect(): Promise<NatsConnection> {
    if (this.nc && !this.nc.isClosed()) return this.nc;
    const nc = await (this.deps.connect ?? defaultConnect)(this.deps.servers, `runtrail-runner`, runnerInboxPrefix(this.deps.session.runnerId));
    this.nc = nc;
    void (async () => {
      for await (const status of nc.status()) {
        if (status.type === 'disconnect') this.deps.log(`NATS disconnected from ${status.server}; reconnecting`);
        else if (status.type === 'reconnect') this.deps.log(`NATS reconnected to ${status.server}`);
      }
    })().catch(() => undefined);
    return nc;
  }
}
