import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@runtrail/launcher';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/**
 * A private nats-server with JetStream on a free port, so a test can stop and start
 * NATS without touching the shared one. It keeps its store directory across
 * restarts, as a real server would.
 */
export interface NatsServerOptions {
  /** Server configuration text (e.g. an `authorization` block); flags set address, port and JetStream. */
  config?: string;
  /** Environment of the server process, for `$VARIABLE` references in the configuration. */
  env?: NodeJS.ProcessEnv;
  /** Settings inside the `jetstream` block, e.g. `max_file_store: 8MB` (the server's storage limit). */
  jetstream?: string;
}

export class NatsServerProcess {
  readonly storeDir = mkdtempSync(join(tmpdir(), 'runtrail-nats-'));
  private readonly configFile = join(this.storeDir, 'server.conf');
  private child?: ChildProcess;
  private config: string | undefined;
  private jetstream: string | undefined;

  private constructor(
    readonly port: number,
    private readonly options: NatsServerOptions,
  ) {
    this.config = options.config;
    this.jetstream = options.jetstream;
  }

  static async start(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
    const server = await NatsServerProcess.create(options);
    await server.start();
    return server;
  }

  /** A server on a free port, not started yet (a cluster needs every port before any node starts). */
  static async create(options: NatsServerOptions = {}): Promise<NatsServerProcess> {
    return new NatsServerProcess(await freePort(), options);
  }

  /** The end of the server's log, for a failure message. */
  logTail(lines = 20): string {
    const file = join(this.storeDir, 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  }

  /** Replaces the configuration and has the running server reload it (SIGHUP), connections kept. */
  reload(config: string): void {
    this.config = config;
    this.writeConfig();
    this.child?.kill('SIGHUP');
  }

  /**
   * Replaces the settings inside the `jetstream` block for the next start: nats-server 2.9
   * does not reload its storage limits ("config reload not supported for jetstream max
   * memory and store"), so a new limit takes a stop and a start.
   */
  setJetStream(settings: string): void {
    this.jetstream = settings;
  }

  /**
   * Address, port and JetStream go into the file, not on the command line: on a reload
   * nats-server 2.9 applies the file alone and would shut JetStream down.
   */
  private writeConfig(): void {
    const jetstream = [`store_dir: ${JSON.stringify(this.storeDir)}`, this.jetstream].filter(Boolean).join(', ');
    const base = `listen: "127.0.0.1:${this.port}"\njetstream { ${jetstream} }\n`;
    writeFileSync(this.configFile, base + (this.config ?? ''));
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    let args = ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir];
    if (this.config !== undefined || this.jetstream !== undefined) {
      this.writeConfig();
      args = ['-c', this.configFile];
    }
    // The server's own log, kept beside its store for a failing test to read.
    const log = openSync(join(this.storeDir, 'server.log'), 'a');
    this.child = spawn(NATS_SERVER, args, { stdio: ['ignore', log, log], env: this.options.env ?? process.env });
    closeSync(log);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await this.accepts()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('nats-server did not start');
  }

  /** Stops the server: SIGTERM lets it shut down cleanly, SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.storeDir, { recursive: true, force: true });
  }

  private accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = netConnect(this.port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}
