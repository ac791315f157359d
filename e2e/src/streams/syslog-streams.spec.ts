import { auditEvent, eventually, request, RsyslogServer, startTestStack, type TestStack } from '@runtrail/testing';

interface AuditRecord {
  id: number;
  eventId: string;
  tenantId: string;
  action: string;
  success: boolean;
  sourceName: string;
  happenedAt: string;
  [field: string]: unknown;
}

/** One line rsyslog wrote, taken apart as RFC 5424 lays it out. */
interface SyslogLine {
  pri: number;
  version: string;
  timestamp: string;
  appName: string;
  procId: string;
  msgId: string;
  sd: Record<string, string>;
  record: AuditRecord;
}

const LINE = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) \[runtrail@32473((?: [A-Za-z]+="(?:[^"\\\]]|\\.)*")+)\] (.*)$/;

function parseLine(line: string): SyslogLine {
  const m = LINE.exec(line);
  if (!m) throw new Error(`not an RFC 5424 line of a Runtrail record: ${line.slice(0, 200)}`);
  const sd = Object.fromEntries([...m[8].matchAll(/ ([A-Za-z]+)="((?:[^"\\\]]|\\.)*)"/g)].map((p) => [p[1], p[2].replace(/\\(.)/g, '$1')]));
  return { pri: Number(m[1]), version: m[2], timestamp: m[3], appName: m[5], procId: m[6], msgId: m[7], sd, record: JSON.parse(m[9]) as AuditRecord };
}

// Deliveries wait on receivers made to fail and on services killed and started again: minutes on a busy machine, not jest's default 30 s.
jest.setTimeout(180_000);

/**
 * The `syslog` kind against Debian's rsyslog, listening with octet-counted framing on TCP and
 * on TLS: what rsyslog wrote to its file is read back, taken apart and compared with the
 * timeline, across a time rsyslog is down.
 */
describe('syslog streams', () => {
  let rsyslog: RsyslogServer;
  let t: TestStack;
  let acme: string;

  const q = <T = unknown>(method: string, path: string, body?: unknown) => request<T>(method, `${t.queryUrl}${path}`, { key: acme, body });

  async function post(sourceName: string, count: number, overrides: Record<string, unknown> = {}): Promise<string[]> {
    const events = Array.from({ length: count }, (_, i) => auditEvent({ sourceName, entityId: `${sourceName}-${i}`, success: i % 3 !== 0, ...overrides }));
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: acme, body: events })).status).toBe(202);
    return events.map((e) => e.eventId as string);
  }

  const received = async () => (await rsyslog.lines()).map(parseLine);
  const arrived = (ids: string[]) =>
    eventually(async () => {
      const seen = new Set((await received()).map((l) => l.record.eventId));
      return ids.every((id) => seen.has(id)) ? true : undefined;
    }, 60_000, `${ids.length} records in rsyslog's file`);

  beforeAll(async () => {
    rsyslog = await RsyslogServer.start();
    // The throwaway CA that signed rsyslog's certificate, trusted by the query service as an operator would.
    t = await startTestStack('e2esyslog', { NODE_EXTRA_CA_CERTS: rsyslog.caFile, STREAM_MAX_BACKOFF_SECONDS: '1' });
    acme = await t.createKey('acme', ['events:write', 'audit:read', 'admin'], 'acme-admin');
  });

  afterAll(async () => {
    await t?.stop();
    await rsyslog?.remove();
  });

  it('writes RFC 5424 over TCP and TLS that rsyslog reads back as sent, and nothing is skipped while it is down', async () => {
    const tcp = await q<{ id: string }>('POST', '/v1/streams', { name: 'rsyslog tcp', kind: 'syslog', url: `syslog://127.0.0.1:${rsyslog.tcpPort}`, filter: { source_name: 'via-tcp' } });
    const tls = await q<{ id: string }>('POST', '/v1/streams', { name: 'rsyslog tls', kind: 'syslog', url: `syslog+tls://localhost:${rsyslog.tlsPort}`, filter: { source_name: 'via-tls' } });
    expect([tcp.status, tls.status]).toEqual([201, 201]);

    const first = [...(await post('via-tcp', 40)), ...(await post('via-tls', 40, { entityName: 'name with "quotes", ] and \\ and Grüße' }))];
    await arrived(first);

    // rsyslog goes away with nothing in flight; what is posted meanwhile waits for it.
    await rsyslog.stop();
    const meanwhile = [...(await post('via-tcp', 60)), ...(await post('via-tls', 60))];
    await eventually(async () => {
      const all = (await q<{ id: string; lastError: string | null }[]>('GET', '/v1/streams')).body;
      return all.every((s) => s.lastError?.includes('ECONNREFUSED')) ? true : undefined;
    }, 30_000, 'both streams failing to connect');
    await rsyslog.restart();
    await arrived([...first, ...meanwhile]);

    const lines = await received();
    for (const [source, stream] of [['via-tcp', tcp.body.id], ['via-tls', tls.body.id]]) {
      const mine = lines.filter((l) => l.record.sourceName === source);
      const firstArrivals = [...new Map(mine.map((l) => [l.record.eventId, l])).values()];
      expect(firstArrivals).toHaveLength(100);
      expect(firstArrivals.map((l) => l.record.id)).toEqual(firstArrivals.map((l) => l.record.id).sort((a, b) => a - b));
      const stored = new Map((await q<AuditRecord[]>('GET', `/v1/audit?source_name=${source}&limit=1000`)).body.map((r) => [r.eventId, r]));
      for (const l of firstArrivals) {
        expect(l.record).toEqual(stored.get(l.record.eventId));
        expect(l).toMatchObject({ pri: 13 * 8 + (l.record.success ? 6 : 4), version: '1', timestamp: l.record.happenedAt, appName: 'runtrail', procId: '-', msgId: l.record.action });
        expect(l.sd).toEqual({ id: String(l.record.id), eventId: l.record.eventId, tenantId: 'acme' });
      }
      expect((await q('DELETE', `/v1/streams/${stream}`)).status).toBe(204);
    }
  });
});
