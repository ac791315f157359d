import { hostname } from 'node:os';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { AuditRecord } from '@runtrail/contracts';
import { DeliveryError } from './delivery-target';
import { SD_ID, SyslogTarget, octetCounted, syslogMessage } from './syslog-target';
import { auditRecord } from '../../../test/fixtures';

function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return auditRecord({ happenedAt: '2026-03-01T10:15:30.123Z', context: { ip: '203.0.113.7' }, ...overrides });
}

interface SyslogParts {
  pri: number;
  version: string;
  timestamp: string;
  host: string;
  appName: string;
  procId: string;
  msgId: string;
  sdId: string;
  /** The SD-PARAMs, values unescaped. */
  params: Record<string, string>;
  msg: string;
}

/** Takes an RFC 5424 message apart the way a receiver would (one SD-ELEMENT, as Runtrail writes). */
function parse(message: string): SyslogParts {
  const m = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) \[(\S+)((?: [^=\s]+="(?:[^"\\\]]|\\["\\\]])*")*)\] (.*)$/s.exec(message);
  if (!m) throw new Error(`not an RFC 5424 message with one SD-ELEMENT: ${message}`);
  const params: Record<string, string> = {};
  for (const p of m[9].matchAll(/ ([^=\s]+)="((?:[^"\\\]]|\\["\\\]])*)"/g)) params[p[1]] = p[2].replace(/\\(["\\\]])/g, '$1');
  return { pri: Number(m[1]), version: m[2], timestamp: m[3], host: m[4], appName: m[5], procId: m[6], msgId: m[7], sdId: m[8], params, msg: m[10] };
}

describe('syslogMessage', () => {
  it('writes PRI 110 (facility 13, severity 6) for a successful record and the RFC 5424 header fields', () => {
    const r = record();
    const parts = parse(syslogMessage(r, 'query-1'));
    expect(parts).toMatchObject({ pri: 110, version: '1', timestamp: '2026-03-01T10:15:30.123Z', host: 'query-1', appName: 'runtrail', procId: '-', msgId: 'user.login', sdId: SD_ID });
    expect(SD_ID).toBe('runtrail@32473');
  });

  it('writes PRI 108 (facility 13, severity 4) for a failed record', () => {
    expect(parse(syslogMessage(record({ success: false }), 'query-1')).pri).toBe(13 * 8 + 4);
    expect(syslogMessage(record({ success: false }), 'query-1')).toMatch(/^<108>1 /);
  });

  it('puts the ids in structured data', () => {
    const r = record();
    expect(syslogMessage(r, 'query-1')).toContain(` [runtrail@32473 id="42000" eventId="${r.eventId}" tenantId="acme"] `);
    expect(parse(syslogMessage(r, 'query-1')).params).toEqual({ id: '42000', eventId: r.eventId, tenantId: 'acme' });
  });

  it('escapes ", \\ and ] in structured-data values (RFC 5424 §6.3.3)', () => {
    const r = record({ eventId: 'a"b\\c]d', tenantId: 't]"\\' });
    const message = syslogMessage(r, 'query-1');
    expect(message).toContain(' eventId="a\\"b\\\\c\\]d" tenantId="t\\]\\"\\\\"] ');
    expect(parse(message).params).toEqual({ id: '42000', eventId: 'a"b\\c]d', tenantId: 't]"\\' });
  });

  it('carries the record as JSON in MSG, multi-byte characters and newlines included', () => {
    const r = record({ entityName: 'Zoë 🚀 "quoted"\nsecond line', context: { note: 'a]b [c' } });
    const parts = parse(syslogMessage(r, 'query-1'));
    expect(JSON.parse(parts.msg)).toEqual(r);
    expect(syslogMessage(r, 'query-1')).not.toContain('\n');
  });

  it('makes MSGID of the action: printable ASCII without spaces, at most 32 characters', () => {
    expect(parse(syslogMessage(record({ action: 'user login\tnow' }), 'h')).msgId).toBe('userloginnow');
    expect(parse(syslogMessage(record({ action: 'délété' }), 'h')).msgId).toBe('dlt');
    const long = 'a'.repeat(20) + '.' + 'b'.repeat(20);
    expect(parse(syslogMessage(record({ action: long }), 'h')).msgId).toBe(long.slice(0, 32));
    expect(parse(syslogMessage(record({ action: 'é ü' }), 'h')).msgId).toBe('-');
  });

  it('cleans the host name the same way, and uses the NILVALUE when nothing is left', () => {
    expect(parse(syslogMessage(record(), 'my host')).host).toBe('myhost');
    expect(parse(syslogMessage(record(), '')).host).toBe('-');
  });

  it('takes this machine name as HOSTNAME by default', () => {
    expect(parse(syslogMessage(record())).host).toBe(hostname().replace(/[^\x21-\x7e]/g, '').slice(0, 255) || '-');
  });
});

describe('octetCounted', () => {
  it('prefixes the length in bytes and a space (RFC 6587 §3.4.1)', () => {
    expect(octetCounted('hello')).toBe('5 hello');
    expect(octetCounted('')).toBe('0 ');
  });

  it('counts bytes, not characters', () => {
    expect(octetCounted('é')).toBe('2 é');
    expect(octetCounted('🚀')).toBe('4 🚀');
    const message = syslogMessage(record({ entityName: 'Zoë 🚀' }), 'h');
    expect(octetCounted(message)).toBe(`${Buffer.byteLength(message)} ${message}`);
    expect(Buffer.byteLength(message)).toBe(message.length + 1 + 2);
  });
});

/** A syslog receiver over TCP that takes octet-counted frames apart. */
class Receiver {
  readonly frames: string[] = [];
  connections = 0;
  private buffer = Buffer.alloc(0);
  private waiting?: { count: number; resolve: () => void };
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(port = 0): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('connection', (socket) => receiver.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves once `count` frames in all have come. */
  received(count: number): Promise<void> {
    if (this.frames.length >= count) return Promise.resolve();
    return new Promise((resolve) => (this.waiting = { count, resolve }));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.takeFrames();
    });
  }

  private takeFrames(): void {
    for (;;) {
      const space = this.buffer.indexOf(0x20);
      if (space < 0) return;
      const length = Number(this.buffer.subarray(0, space).toString('ascii'));
      if (!Number.isInteger(length)) throw new Error(`bad frame length ${this.buffer.subarray(0, space).toString()}`);
      if (this.buffer.length < space + 1 + length) return;
      this.frames.push(this.buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(space + 1 + length);
      if (this.waiting && this.frames.length >= this.waiting.count) {
        this.waiting.resolve();
        this.waiting = undefined;
      }
    }
  }
}

/** A port nothing listens on (a moment ago something did, then let go of it). */
async function closedPort(): Promise<number> {
  const receiver = await Receiver.start();
  const port = receiver.port;
  await receiver.stop();
  return port;
}

describe('SyslogTarget', () => {
  let receiver: Receiver | undefined;
  let target: SyslogTarget | undefined;

  afterEach(async () => {
    target?.close();
    target = undefined;
    await receiver?.stop();
    receiver = undefined;
  });

  it('delivers the records as octet-counted RFC 5424 frames in order, over one kept connection', async () => {
    receiver = await Receiver.start();
    target = new SyslogTarget('127.0.0.1', receiver.port, false, 5000);
    const first = [record({ id: 1, action: 'user.login' }), record({ id: 2, action: 'user.logout', success: false, entityName: 'Zoë 🚀' })];
    const second = [record({ id: 3, action: 'role.grant', eventId: 'e"3' })];

    await target.send(first);
    await target.send(second);
    await receiver.received(3);

    expect(receiver.frames).toHaveLength(3);
    const parts = receiver.frames.map(parse);
    expect(parts.map((p) => JSON.parse(p.msg) as AuditRecord)).toEqual([...first, ...second]);
    expect(parts.map((p) => [p.pri, p.msgId, p.params.id])).toEqual([
      [110, 'user.login', '1'],
      [108, 'user.logout', '2'],
      [110, 'role.grant', '3'],
    ]);
    expect(parts[2].params.eventId).toBe('e"3');
    expect(receiver.connections).toBe(1);
  });

  it('rejects with a DeliveryError naming host:port when the connection is refused', async () => {
    const port = await closedPort();
    target = new SyslogTarget('127.0.0.1', port, false, 5000);
    const sending = target.send([record()]);
    await expect(sending).rejects.toThrow(DeliveryError);
    await expect(sending).rejects.toThrow(`127.0.0.1:${port}: ECONNREFUSED`);
  });

  it('connects anew on the next send after a refused connection', async () => {
    const port = await closedPort();
    target = new SyslogTarget('127.0.0.1', port, false, 5000);
    await expect(target.send([record({ id: 1 })])).rejects.toThrow(DeliveryError);

    receiver = await Receiver.start(port);
    await target.send([record({ id: 2 })]);
    await receiver.received(1);
    expect(JSON.parse(parse(receiver.frames[0]).msg)).toEqual(record({ id: 2 }));
  });
});
