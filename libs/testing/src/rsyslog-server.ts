import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { freePort } from '@runtrail/launcher';

const RSYSLOGD = process.env.RSYSLOGD_BIN ?? '/usr/sbin/rsyslogd';

export interface RsyslogServerOptions {
  /** Also listen with TLS (the default); without it no certificates are made and `tlsPort`/`caFile` throw. */
  tls?: boolean;
}

/**
 * A private rsyslogd receiving RFC 5424 messages, octet-counted (RFC 6587), on loopback
 * over plain TCP and TLS, so a test can check what a real syslog receiver gets from
 * Runtrail's syslog stream. Each message is written as received, one per line, to
 * `received.log`; the file outlives a stop, as a real receiver's would.
 */
export class RsyslogServer {
  private child?: ChildProcess;
  private output = '';

  private constructor(
    readonly dir: string,
    readonly tcpPort: number,
    private readonly tls: { port: number; caFile: string } | undefined,
  ) {}

  static async start(options: RsyslogServerOptions = {}): Promise<RsyslogServer> {
    const dir = mkdtempSync(join(tmpdir(), 'runtrail-rsyslog-'));
    const tls = options.tls === false ? undefined : { port: await freePort(), caFile: makeCertificates(dir) };
    const server = new RsyslogServer(dir, await freePort(), tls);
    writeFileSync(server.configFile, server.config());
    try {
      await server.run();
    } catch (err) {
      await server.remove();
      throw err;
    }
    return server;
  }

  get tlsPort(): number {
    return this.requireTls().port;
  }

  /** The CA that signed the server's certificate, for the client (`NODE_EXTRA_CA_CERTS`). */
  get caFile(): string {
    return this.requireTls().caFile;
  }

  /** The messages received so far, in order. */
  async lines(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.logFile, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    // A long batch may reach the file in several writes: a line is complete at its newline only.
    return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
  }

  async waitForLines(count: number, timeoutMs = 30_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lines = await this.lines();
      if (lines.length >= count) return lines;
      if (Date.now() > deadline) {
        throw new Error(`rsyslog received ${lines.length} of ${count} messages:\n${lines.join('\n')}${this.outputTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(kill);
  }

  /** Stops and starts again on the same ports, appending to the same file: a receiver that went away and came back. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get configFile(): string {
    return join(this.dir, 'rsyslog.conf');
  }

  private get logFile(): string {
    return join(this.dir, 'received.log');
  }

  private requireTls(): { port: number; caFile: string } {
    if (!this.tls) throw new Error('RsyslogServer was started with tls: false');
    return this.tls;
  }

  /**
   * Only imtcp is loaded: no imuxsock/imklog, so the private daemon never reads the host's
   * log sockets. The inputs use their own ruleset so rsyslogd's own notices stay out of the
   * file. `%rawmsg%` is the message exactly as framed (BOM and structured data included);
   * rsyslog only drops a trailing LF and escapes control characters (#012), which keeps one
   * message per line. Writing synchronously, flushed per batch, lets a test read a message
   * as soon as rsyslog has taken it. The 8k default size limit would truncate large events.
   */
  private config(): string {
    const input = (port: number, extra = ''): string =>
      `input(type="imtcp" address="127.0.0.1" port="${port}" ruleset="received" supportOctetCountedFraming="on"${extra})`;
    const tls = this.tls;
    return [
      `global(workDirectory="${this.dir}" maxMessageSize="64k"`,
      tls
        ? `  defaultNetstreamDriverCAFile="${tls.caFile}" defaultNetstreamDriverCertFile="${join(this.dir, 'server.pem')}" defaultNetstreamDriverKeyFile="${join(this.dir, 'server.key')}")`
        : ')',
      'module(load="imtcp")',
      'template(name="raw" type="string" string="%rawmsg%\\n")',
      'ruleset(name="received" parser="rsyslog.rfc5424") {',
      `  action(type="omfile" file="${this.logFile}" template="raw" flushOnTXEnd="on" asyncWriting="off")`,
      '}',
      input(this.tcpPort),
      tls ? input(tls.port, ' streamDriver.name="gtls" streamDriver.mode="1" streamDriver.authMode="anon"') : '',
      '',
    ].join('\n');
  }

  private async run(): Promise<void> {
    const pidFile = join(this.dir, 'rsyslogd.pid');
    // After a SIGKILL the old pid file remains, and rsyslogd refuses to start while it names a live process.
    rmSync(pidFile, { force: true });
    this.output = '';
    const child = spawn(RSYSLOGD, ['-n', '-f', this.configFile, '-i', pidFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (d: Buffer) => (this.output += d.toString()));
    let spawnError: Error | undefined;
    child.once('error', (err) => (spawnError = err));
    const tls = this.tls && { port: this.tls.port, ca: readFileSync(this.tls.caFile) };
    const listening = async (): Promise<boolean> => (await accepts(this.tcpPort)) && (!tls || (await accepts(tls.port, tls.ca)));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (spawnError) throw new Error(`rsyslogd could not start: ${spawnError.message}`);
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`rsyslogd exited at start${this.outputTail()}`);
      const up = await listening();
      // rsyslogd keeps running without a listener it cannot bind, and whoever holds the port
      // would answer the probe; it says so on stderr before it binds the next input.
      if (this.output.includes('Could not create tcp listener') || (!up && Date.now() > deadline)) {
        await this.stop();
        throw new Error(`rsyslogd did not listen on ${[this.tcpPort, tls?.port].filter(Boolean).join(', ')}${this.outputTail()}`);
      }
      if (up) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private outputTail(): string {
    const text = this.output.trim();
    return text ? `\nrsyslogd said:\n${text.slice(-4000)}` : '';
  }
}

/**
 * A throwaway CA and a server certificate for `localhost` and 127.0.0.1, valid a day, so
 * a TLS client can verify the server as it would a real one. Returns the CA's file.
 */
function makeCertificates(dir: string): string {
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Runtrail test CA', '-keyout', file('ca.key'), '-out', file('ca.pem'));
  openssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', file('server.key'), '-out', file('server.csr'));
  writeFileSync(
    file('server.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n',
  );
  openssl('x509', '-req', '-days', '1', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-set_serial', '1', '-extfile', file('server.ext'), '-out', file('server.pem'));
  return file('ca.pem');
}

/**
 * Whether the port takes a connection; with `ca`, a TLS handshake too (a bare TCP probe of a
 * TLS port has rsyslogd log a failed handshake, which would clutter a failure message).
 */
function accepts(port: number, ca?: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = ca ? tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' }) : connect(port, '127.0.0.1');
    const done = (ok: boolean): void => {
      resolve(ok);
      if (ok) socket.end();
      else socket.destroy();
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once(ca ? 'secureConnect' : 'connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
