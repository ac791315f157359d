import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { parseNatsServers } from '@runtrail/contracts';

export interface NatsClientOptions {
  servers: string[];
  /** Shown in the server's connection list, e.g. `runtrail-ingest`. */
  name: string;
  /** Milliseconds to wait for a JetStream API answer or a publish acknowledgement. */
  requestTimeoutMs?: number;
  /** Where replies arrive; a runner agent's own, so its NATS user may read its inbox only. */
  inboxPrefix?: string;
  /**
   * Wait for a server that is not up yet (the services' default). False: fail at once,
   * for a caller that retries on its own and must stay stoppable meanwhile.
   */
  waitOnFirstConnect?: boolean;
}

/** Where the connection says what happens to it; a pino logger fits. */
export interface ConnectionLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/**
 * One NATS connection per process, with the JetStream and KV views on it. It
 * reconnects forever, and tracks whether it is connected so callers can answer 503
 * at once instead of waiting for a publish to time out.
 */
export class NatsClient {
  private connected = true;

  private constructor(
    readonly nc: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly kvm: Kvm,
    private readonly log: ConnectionLog,
  ) {
    void this.watchStatus();
  }

  static async connect(options: NatsClientOptions, log: ConnectionLog): Promise<NatsClient> {
    const timeout = options.requestTimeoutMs ?? 5000;
    const nc = await connect({
      ...parseNatsServers(options.servers),
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // Start even if the server is not up yet: the services wait for it.
      waitOnFirstConnect: options.waitOnFirstConnect ?? true,
      timeout,
      // The client would otherwise build an Error (a stack capture) for every request and
      // publish, to have an async stack should it fail; a publish at a few thousand a second
      // spent a noticeable share of the gateway's CPU on them (issue 15). Failures keep
      // their message and code, and nothing here logs NATS stacks.
      noAsyncTraces: true,
      ...(options.inboxPrefix ? { inboxPrefix: options.inboxPrefix } : {}),
    });
    // No API probe: a runner's NATS user may only read its own consumer, and the first real
    // call (ensuring the stream, say) fails loudly enough when JetStream is missing.
    const jsm = await jetstreamManager(nc, { timeout, checkAPI: false });
    log.info({ server: nc.getServer() }, 'connected to NATS');
    return new NatsClient(nc, jetstream(nc, { timeout }), jsm, new Kvm(nc), log);
  }

  get isConnected(): boolean {
    return this.connected && !this.nc.isClosed();
  }

  private async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') {
        this.connected = false;
        this.log.warn({ event: s.type, server: s.server }, 'NATS connection lost; reconnecting');
      } else if (s.type === 'reconnect') {
        this.connected = true;
        this.log.info({ event: s.type, server: s.server }, 'NATS connection restored');
      }
    }
  }

  /** Answers whether NATS and its JetStream API respond within `timeoutMs`. */
  async ping(timeoutMs = 2000): Promise<boolean> {
    if (!this.isConnected) return false;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([this.jsm.getAccountInfo().then(() => true), timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Flushes pending acks and publishes, then closes. */
  async close(): Promise<void> {
    if (this.nc.isClosed()) return;
    await this.nc.drain().catch(() => this.nc.close());
  }
}
