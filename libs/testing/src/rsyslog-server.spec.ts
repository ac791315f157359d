import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RsyslogServer } from './rsyslog-server';

/** RFC 6587 octet counting: the length is in bytes, not characters. */
function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

/** Sends the messages in one write once `ready` (connected, or the TLS handshake done), then closes. */
async function send(socket: Socket, ready: 'connect' | 'secureConnect', messages: string[]): Promise<void> {
  try {
    await once(socket, ready);
    socket.end(Buffer.concat(messages.map(frame)));
    await once(socket, 'close');
  } finally {
    socket.destroy();
  }
}

function sendTcp(port: number, messages: string[]): Promise<void> {
  return send(netConnect(port, '127.0.0.1'), 'connect', messages);
}

function sendTls(port: number, caFile: string, messages: string[]): Promise<void> {
  return send(tlsConnect({ host: '127.0.0.1', port, servername: 'localhost', ca: readFileSync(caFile) }), 'secureConnect', messages);
}

const message = (id: number, body: string): string =>
  `<110>1 2026-12-01T10:00:0${id % 10}.000Z myhost runtrail - Update [runtrail@32473 id="${id}" eventId="ev-${id}" tenantId="acme"] ${body}`;

describe('RsyslogServer', () => {
  let rsyslog: RsyslogServer;

  beforeAll(async () => {
    rsyslog = await RsyslogServer.start();
  }, 30_000);

  afterAll(async () => {
    await rsyslog?.remove();
  });

  it('writes octet-counted RFC 5424 messages received over TCP and TLS exactly as sent', async () => {
    const plain = [message(1, '{"id":1,"name":"Zoë € 𝄞","tags":["a b","c"]}'), message(2, '\uFEFFwith a BOM and spaces')];
    const secure = [message(3, '{"id":3,"note":"über TLS"}'), message(4, '-')];
    await sendTcp(rsyslog.tcpPort, plain);
    await sendTls(rsyslog.tlsPort, rsyslog.caFile, secure);
    const lines = await rsyslog.waitForLines(4);
    expect([...lines].sort()).toEqual([...plain, ...secure].sort());
  });

  it('keeps its ports across a restart and appends to the same file', async () => {
    const { tcpPort, tlsPort } = rsyslog;
    const before = await rsyslog.waitForLines(4);
    await rsyslog.stop();
    await expect(sendTcp(tcpPort, [message(5, 'lost')])).rejects.toThrow(/ECONNREFUSED/);
    await rsyslog.restart();
    expect([rsyslog.tcpPort, rsyslog.tlsPort]).toEqual([tcpPort, tlsPort]);
    await sendTcp(tcpPort, [message(6, 'after restart')]);
    await sendTls(tlsPort, rsyslog.caFile, [message(7, 'after restart over TLS')]);
    const lines = await rsyslog.waitForLines(before.length + 2);
    expect(lines.slice(0, before.length)).toEqual(before);
    expect(lines.slice(before.length).sort()).toEqual([message(6, 'after restart'), message(7, 'after restart over TLS')]);
  }, 30_000);
});
