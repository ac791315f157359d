import { hostname } from 'node:os';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { AuditRecord } from '@runtrail/contracts';
import { DeliveryError, type DeliveryTarget } from './delivery-target';

/** log audit (RFC 5424 §6.2.1, facility 13). */
const FACILITY = 13;
/** informational for a successful record, warning otherwise. */
const severity = (r: AuditRecord) => (r.success ? 6 : 4);
/** Runtrail's structured-data id: `runtrail@` and a private enterprise number, as RFC 5424 §7.2.2 asks of a custom SD-ID. */
export const SD_ID = 'runtrail@32473';

/** PRINTUSASCII without spaces, at most `max` characters, or the NILVALUE. */
function header(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean || '-';
}

/** An SD-PARAM value: `"`, `\` and `]` escaped (RFC 5424 §6.3.3). */
function param(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/**
 * One record as an RFC 5424 message (CONTRACT §8): PRI from facility 13 and the record's
 * outcome, its time of happening, this host, APP-NAME `runtrail`, MSGID its action, the
 * ids in structured data and the record's JSON as MSG.
 */
export function syslogMessage(r: AuditRecord, host = hostname()): string {
  const sd = `[${SD_ID} id="${r.id}" eventId="${param(r.eventId)}" tenantId="${param(r.tenantId)}"]`;
  return `<${FACILITY * 8 + severity(r)}>1 ${r.happenedAt} ${header(host, 255)} runtrail - ${header(r.action, 32)} ${sd} ${JSON.stringify(r)}`;
}

/** RFC 6587 §3.4.1 octet counting: the message's length in bytes, a space, the message. */
export function octetCounted(message: string): string {
  return `${Buffer.byteLength(message, 'utf8')} ${message}`;
}

/**
 * `syslog`: one TCP (or TLS) connection kept open, reconnected after any error. Syslog over
 * TCP has no acknowledgement: a write counts as delivered once the kernel took it, so what
 * was in flight when a receiver died can be lost (docs/streams.md#syslog). A connection the
 * receiver closed is noticed before the next write and made anew.
 */
export class SyslogTarget implements DeliveryTarget {
  readonly maxRecords = 500;
  private socket?: Socket;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly tls: boolean,
    private readonly timeoutMs: number,
  ) {}

  async send(records: AuditRecord[]): Promise<void> {
    const frames = records.map((r) => octetCounted(syslogMessage(r))).join('');
    const socket = await this.connected();
    try {
      await this.withTimeout(new Promise<void>((resolve, reject) => socket.write(frames, 'utf8', (err) => (err ? reject(err) : resolve()))), 'write');
    } catch (err) {
      this.close();
      throw err instanceof DeliveryError ? err : new DeliveryError(`${this.host}:${this.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private async connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed && this.socket.writable && !this.socket.readableEnded) return this.socket;
    this.close();
    const socket = this.tls ? tlsConnect({ host: this.host, port: this.port, servername: this.host }) : tcpConnect({ host: this.host, port: this.port });
    const ready = new Promise<void>((resolve, reject) => {
      socket.once(this.tls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    try {
      await this.withTimeout(ready, 'connect');
    } catch (err) {
      socket.destroy();
      throw err instanceof DeliveryError ? err : new DeliveryError(`${this.host}:${this.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    // The receiver says nothing back; reading keeps its close (and anything odd it sends) noticed.
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket === socket) this.socket = undefined;
    });
    this.socket = socket;
    return socket;
  }

  private withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeliveryError(`${this.host}:${this.port}: no ${what} within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}
