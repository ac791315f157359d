import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from '@runtrail/launcher';

const PG_BIN = process.env.POSTGRES_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** How a stop ends the server, as `pg_ctl stop -m` names them: each is a signal to the postmaster. */
export type PostgresStopMode = 'smart' | 'fast' | 'immediate';
const STOP_SIGNAL: Record<PostgresStopMode, NodeJS.Signals> = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' };

/**
 * A private Postgres cluster (initdb into a temporary directory, trust authentication, a
 * free loopback port), so a fault test can stop the database a stack uses without touching
 * the shared server. Its data directory is kept across stops and starts, as a real server's.
 * PostgreSQL refuses to run as root: under root the cluster belongs to the `postgres` user.
 */
export class PostgresServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'runtrail-pg-'));
  private readonly dataDir = join(this.dir, 'data');
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  static async start(): Promise<PostgresServer> {
    const server = new PostgresServer(await freePort());
    server.initdb();
    await server.start();
    return server;
  }

  /**
   * A hot standby of `primary` on a port of its own: a base backup of the primary's data
   * (`pg_basebackup -R`, which writes the standby's connection settings), then started as a
   * server that streams and replays the primary's WAL and answers read-only queries.
   */
  static async startReplica(primary: PostgresServer): Promise<PostgresServer> {
    const replica = new PostgresServer(await freePort());
    const owner = replica.owner();
    if (owner.uid !== undefined) chownSync(replica.dir, owner.uid, owner.gid as number);
    const args = ['-D', replica.dataDir, '-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-R', '-X', 'stream', '--no-sync'];
    const res = spawnSync(join(PG_BIN, 'pg_basebackup'), args, { ...owner, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`pg_basebackup failed: ${res.stderr || res.error?.message}`);
    await replica.start();
    return replica;
  }

  /** The server's `postgres` database as a URL; `databaseUrl` points one at another database. */
  get adminUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server on its port and resolves once it accepts queries. */
  async start(): Promise<void> {
    const log = openSync(join(this.dir, 'server.log'), 'a');
    // fsync off: a stop or crash of the server loses nothing with it (the OS still has the
    // pages), only a power loss would, which no test makes; synchronous_commit stays on.
    const args = ['-D', this.dataDir, '-p', String(this.port), '-k', this.dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'shared_buffers=32MB'];
    this.child = spawn(join(PG_BIN, 'postgres'), args, { ...this.owner(), stdio: ['ignore', log, log] });
    closeSync(log);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (!this.running) throw new Error(`postgres exited at start: ${this.logTail()}`);
      if (await this.accepts()) return;
      if (Date.now() > deadline) throw new Error(`postgres did not start: ${this.logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops the server (`fast` rolls back open transactions and disconnects everyone; `immediate` is a crash). */
  async stop(mode: PostgresStopMode = 'fast'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = once(child, 'exit');
    child.kill(STOP_SIGNAL[mode]);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop('immediate');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The end of the server's log, for a failure message. */
  logTail(lines = 20): string {
    const file = join(this.dir, 'server.log');
    return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';
  }

  private initdb(): void {
    const owner = this.owner();
    if (owner.uid !== undefined) chownSync(this.dir, owner.uid, owner.gid as number);
    const res = spawnSync(join(PG_BIN, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], {
      ...owner,
      encoding: 'utf8',
    });
    if (res.status !== 0) throw new Error(`initdb failed: ${res.stderr || res.error?.message}`);
  }

  /** The `postgres` user's ids when this process is root (PostgreSQL will not run as root). */
  private owner(): Pick<SpawnOptions, 'uid' | 'gid'> {
    if (process.getuid?.() !== 0) return {};
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (ids.status !== 0 || gid.status !== 0) throw new Error('running as root needs a postgres user to own the private cluster');
    return { uid: Number(ids.stdout.trim()), gid: Number(gid.stdout.trim()) };
  }

  private async accepts(): Promise<boolean> {
    const client = new Client({ connectionString: this.adminUrl, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
