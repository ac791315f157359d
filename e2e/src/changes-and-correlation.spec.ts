import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ENVELOPE_VERSION, eventSubject } from '@runtrail/contracts';
import { NATS_URL, auditEvent, eventually, request, startTestStack, type HttpAnswer, type TestStack } from '@runtrail/testing';

/** docs/api.md#changes-and-correlationid, through the running services. */

interface AuditRecord {
  eventId: string;
  tenantId: string;
  action: string;
  entityType: string;
  entityId: string | null;
  changes: Record<string, { before?: unknown; after?: unknown }> | null;
  correlationId: string | null;
  [k: string]: unknown;
}

interface RunRecord {
  id: string;
  status: string;
  correlationId: string | null;
  [k: string]: unknown;
}

/** The cells of one RFC 4180 record (no line breaks inside cells here). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  for (let i = 0; i <= line.length; ) {
    if (line[i] === '"') {
      let cell = '';
      for (i++; i < line.length; i++) {
        if (line[i] !== '"') cell += line[i];
        else if (line[i + 1] === '"') cell += line[++i];
        else break;
      }
      cells.push(cell);
      i += 2; // the closing quote and the comma
    } else {
      const end = line.indexOf(',', i) === -1 ? line.length : line.indexOf(',', i);
      cells.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return cells;
}

describe('changes and correlationId (audit events, action runs)', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;
  const C1 = `pipeline #${randomUUID()} / Grüße 😀`;
  const C2 = `change-${randomUUID()}`;
  const RICH = {
    replicas: { before: 2, after: 3 },
    'spec.template.image': { before: 'nginx:1.25', after: 'nginx:1.27' },
    labels: { before: { team: 'a', tags: ['x', 'y'], nested: { deep: [null, { n: 1.5 }] } }, after: null },
    _note: { after: 'Grüße 😀 日本 \u202e' },
    list: { before: [], after: [1, 'two', false, null] },
    onlyBefore: { before: 'gone' },
    empty: {},
  };
  const e1 = auditEvent({ entityId: 'deploy-1', changes: RICH, correlationId: C1 });
  const e2 = auditEvent({ entityId: 'deploy-2', changes: { replicas: { before: 3, after: 4 } } });
  const e3 = auditEvent({ action: 'Login', entityType: 'Login', entityId: null, correlationId: C1 });
  const g1 = auditEvent({ entityId: 'deploy-1', changes: { replicas: { before: 1, after: 2 } }, correlationId: C1 });
  const oldEvent = auditEvent({ entityId: 'from-before' });
  const runs = { first: randomUUID(), later: randomUUID(), none: randomUUID(), globex: randomUUID(), old: randomUUID() };

  const run = (id: string, status: string, correlationId?: string) => ({
    id,
    workspace: { name: 'acme-prod' },
    block: { name: 'nginx', from: 'reg.example/nginx:0.3.1' },
    action: 'deploy',
    status,
    startedAt: '2026-11-20T10:00:00.000Z',
    ...(status === 'running' ? {} : { finishedAt: '2026-11-20T10:01:00.000Z', exitCode: status === 'successful' ? 0 : 1 }),
    ...(correlationId === undefined ? {} : { correlationId }),
  });

  const ingest = (path: string, key: string, body: unknown) => request<{ message: string[] }>('POST', `${t.ingestUrl}${path}`, { key, body });
  const get = <T = AuditRecord[]>(path: string, key = acme) => request<T>('GET', `${t.queryUrl}${path}`, { key });
  const q = encodeURIComponent;

  /** Publishes an envelope as the gateway did before these fields existed. */
  async function publishOldShaped(tenantId: string, kind: 'audit' | 'run', events: unknown[]): Promise<void> {
    const nc = await connect({ servers: NATS_URL });
    try {
      const envelope = { v: ENVELOPE_VERSION, kind, tenantId, submitter: { type: 'Application', id: 'old-key', name: 'old' }, receivedAt: new Date().toISOString(), events };
      await jetstream(nc).publish(eventSubject(t.namespace, tenantId, kind), JSON.stringify(envelope), { msgID: randomUUID() });
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    t = await startTestStack('e2efields');
    acme = await t.createKey('acme', ['events:write', 'audit:read'], 'ci');
    globex = await t.createKey('globex', ['events:write', 'audit:read'], 'ci');
    expect((await ingest('/v1/audit-events', acme, [e1, e2, e3])).status).toBe(202);
    expect((await ingest('/v1/audit-events', globex, g1)).status).toBe(202);
    // Start reports, then ends: the first correlation id given sticks.
    expect((await ingest('/v1/action-runs', acme, [run(runs.first, 'running', C1), run(runs.later, 'running'), run(runs.none, 'running')])).status).toBe(202);
    expect((await ingest('/v1/action-runs', acme, [run(runs.first, 'successful'), run(runs.later, 'failed', C2), run(runs.none, 'successful')])).status).toBe(202);
    expect((await ingest('/v1/action-runs', globex, run(runs.globex, 'successful', C1))).status).toBe(202);
    // Normalised as the gateway did then: every field but the two new ones.
    await publishOldShaped('acme', 'audit', [{ ...oldEvent, version: '1.0', success: true }]);
    await publishOldShaped('acme', 'run', [
      {
        ...run(runs.old, 'successful'),
        workspace: { name: 'acme-prod', organization: null },
        block: { name: 'nginx', from: null, version: null },
        durationMs: 60_000,
        cliVersion: null,
        hostname: null,
        osUser: null,
        retriggeredFrom: null,
        commandId: null,
      },
    ]);
    await eventually(async () => {
      const [audit, rs] = await Promise.all([get('/v1/audit?limit=1000'), get<RunRecord[]>('/v1/action-runs?limit=1000')]);
      const terminal = rs.body.filter((r) => r.status !== 'running').length;
      return audit.body.some((r) => r.eventId === oldEvent.eventId) && rs.body.length === 4 && terminal === 4 ? true : undefined;
    }, 30_000, 'the projection of every event and run');
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const record = async (eventId: string) => (await get('/v1/audit?limit=1000')).body.find((r) => r.eventId === eventId);

  describe('audit records', () => {
    it('return changes exactly as sent: nested values, null, arrays, unicode, empty changes', async () => {
      const r = await record(e1.eventId as string);
      expect(r?.changes).toEqual(RICH);
      expect(r?.correlationId).toBe(C1);
    });

    it('append changes and correlationId after receivedAt, null when the event had none', async () => {
      const r = await record(e3.eventId as string);
      expect(Object.keys(r ?? {}).slice(-3)).toEqual(['receivedAt', 'changes', 'correlationId']);
      expect(r).toMatchObject({ changes: null, correlationId: C1 });
      expect(await record(e2.eventId as string)).toMatchObject({ changes: { replicas: { before: 3, after: 4 } }, correlationId: null });
    });

    it('read an event stored in the stream before the fields existed as changes: null, correlationId: null', async () => {
      expect(await record(oldEvent.eventId as string)).toMatchObject({ entityId: 'from-before', changes: null, correlationId: null });
    });

    it('put changes as JSON in one CSV cell, and an empty cell for null', async () => {
      const csv = await request('GET', `${t.queryUrl}/v1/audit?download=true&format=csv&correlation_id=${q(C1)}`, { key: acme });
      expect(csv.status).toBe(200);
      const [header, ...lines] = csv.text.split('\r\n').filter(Boolean);
      const columns = header.split(',');
      expect(columns.slice(-3)).toEqual(['receivedAt', 'changes', 'correlationId']);
      const rows = lines.map(csvCells).map((cells) => Object.fromEntries(columns.map((c, i) => [c, cells[i]])));
      const rich = rows.find((r) => r.eventId === e1.eventId);
      expect(JSON.parse(rich?.changes ?? 'null')).toEqual(RICH);
      expect(rich?.correlationId).toBe(C1);
      expect(rows.find((r) => r.eventId === e3.eventId)).toMatchObject({ changes: '', correlationId: C1 });
    });
  });

  describe('GET /v1/audit?correlation_id=', () => {
    it("finds the tenant's events and the Run entries of its runs with that id, at both paths", async () => {
      for (const path of ['/v1/audit', '/v1/k8s/audit']) {
        const res = await get(`${path}?correlation_id=${q(C1)}`);
        expect(res.status).toBe(200);
        const found = res.body.map((r) => (r.action === 'Run' ? `run:${r.entityId}` : r.eventId)).sort();
        expect(found).toEqual([e1.eventId, e3.eventId, `run:${runs.first}`].sort());
      }
    });

    it("never matches another tenant's records with the same id", async () => {
      const theirs = await get(`/v1/audit?correlation_id=${q(C1)}`, globex);
      expect(theirs.body.map((r) => r.tenantId)).toEqual(['globex', 'globex']);
      expect(theirs.body.map((r) => (r.action === 'Run' ? `run:${r.entityId}` : r.eventId)).sort()).toEqual([g1.eventId, `run:${runs.globex}`].sort());
    });

    it('gives the Run entry the run’s merged correlationId', async () => {
      const entries = (await get('/v1/audit?action=Run&entity_type=ActionRun&limit=100')).body;
      const byRun = Object.fromEntries(entries.map((e) => [e.entityId, e.correlationId]));
      expect(byRun).toEqual({ [runs.first]: C1, [runs.later]: C2, [runs.none]: null, [runs.old]: null });
    });

    it('pages by cursor with the filter repeated in the Link', async () => {
      const first = await get(`/v1/audit?correlation_id=${q(C1)}&limit=2`);
      const link = /^<([^>]+)>; rel="next"$/.exec(first.headers.get('link') ?? '')?.[1] ?? '';
      expect(link).not.toBe('');
      const next = new URL(link, t.queryUrl).searchParams;
      expect(next.get('correlation_id')).toBe(C1);
      const second = await get(link);
      expect(second.status).toBe(200);
      expect(second.headers.get('link')).toBeNull();
      expect([...first.body, ...second.body].map((r) => r.id)).toEqual((await get(`/v1/audit?correlation_id=${q(C1)}`)).body.map((r) => r.id));
      // The cursor is bound to its filters.
      expect((await get(`/v1/audit?correlation_id=${q(C2)}&limit=2&cursor=${q(next.get('cursor') ?? '')}`)).status).toBe(400);
    });
  });

  describe('GET /v1/audit?changed_field=', () => {
    it('finds the records whose changes name the field, in the tenant only', async () => {
      const ids = async (field: string, key = acme) => (await get(`/v1/audit?changed_field=${q(field)}`, key)).body.map((r) => r.eventId).sort();
      expect(await ids('replicas')).toEqual([e1.eventId, e2.eventId].sort());
      expect(await ids('spec.template.image')).toEqual([e1.eventId]);
      expect(await ids('empty')).toEqual([e1.eventId]);
      expect(await ids('team')).toEqual([]); // a key inside a value is not a changed field
      expect(await ids('replicas', globex)).toEqual([g1.eventId]);
    });

    it('combines with correlation_id and the other filters', async () => {
      const res = await get(`/v1/audit?changed_field=replicas&correlation_id=${q(C1)}&action=Update`);
      expect(res.body.map((r) => r.eventId)).toEqual([e1.eventId]);
    });

    it('filters downloads alike', async () => {
      const res = await get(`/v1/audit?changed_field=replicas&download=true`);
      expect(res.body.map((r) => r.eventId).sort()).toEqual([e1.eventId, e2.eventId].sort());
    });

    it("filters a viewer token's reads alike, within its source restriction", async () => {
      const admin = await t.createKey('acme', ['admin', 'audit:read'], 'acme-admin');
      const issue = async (body: unknown) => (await request<{ token: string }>('POST', `${t.queryUrl}/v1/viewer-tokens`, { key: admin, body })).body.token;
      const whole = await issue({});
      expect((await get(`/v1/audit?changed_field=replicas&correlation_id=${q(C1)}`, whole)).body.map((r) => r.eventId)).toEqual([e1.eventId]);
      const otherSource = await issue({ sourceId: 'someone-else' });
      expect((await get(`/v1/audit?changed_field=replicas`, otherSource)).body).toEqual([]);
    });
  });

  describe('action runs', () => {
    it('merge correlationId like their other fields (kept from the start report when the end report has none)', async () => {
      const get1 = async (id: string) => (await get<RunRecord>(`/v1/action-runs/${id}`)).body;
      expect(await get1(runs.first)).toMatchObject({ status: 'successful', correlationId: C1 });
      expect(await get1(runs.later)).toMatchObject({ status: 'failed', correlationId: C2 });
      expect(await get1(runs.none)).toMatchObject({ correlationId: null });
      expect(await get1(runs.old)).toMatchObject({ status: 'successful', correlationId: null });
      const r = await get1(runs.first);
      expect(Object.keys(r).slice(-3)).toEqual(['updatedAt', 'correlationId', 'retriggers']);
    });

    it('filter on correlation_id in lists, downloads and stats, per tenant', async () => {
      expect((await get<RunRecord[]>(`/v1/action-runs?correlation_id=${q(C1)}`)).body.map((r) => r.id)).toEqual([runs.first]);
      expect((await get<RunRecord[]>(`/v1/action-runs?correlation_id=${q(C2)}&download=true`)).body.map((r) => r.id)).toEqual([runs.later]);
      expect((await get<RunRecord[]>(`/v1/action-runs?correlation_id=${q(C1)}`, globex)).body.map((r) => r.id)).toEqual([runs.globex]);
      const stats = await get<{ total: number; successful: number; failed: number }[]>(`/v1/action-runs/stats?correlation_id=${q(C2)}`);
      expect(stats.body).toEqual([expect.objectContaining({ total: 1, successful: 0, failed: 1 })]);
      expect((await get<unknown[]>(`/v1/action-runs/stats?correlation_id=nothing-${randomUUID()}`)).body).toEqual([]);
    });

    it('put correlationId last in the CSV columns', async () => {
      const csv = await request('GET', `${t.queryUrl}/v1/action-runs?download=true&format=csv&correlation_id=${q(C1)}`, { key: acme });
      const [header, row] = csv.text.split('\r\n');
      expect(header.split(',').slice(-2)).toEqual(['updatedAt', 'correlationId']);
      expect(csvCells(row).at(-1)).toBe(C1);
    });
  });

  describe('refusals', () => {
    const CORRELATION = 'correlation_id must be 1 to 128 printable characters';
    const FIELD = 'changed_field must match ^[A-Za-z_][A-Za-z0-9_.-]{0,63}$';
    it.each([
      ['an empty correlation_id', '/v1/audit', 'correlation_id=', CORRELATION],
      ['a correlation_id of 129 characters', '/v1/k8s/audit', `correlation_id=${'😀'.repeat(129)}`, CORRELATION],
      ['a line feed in correlation_id', '/v1/audit', 'correlation_id=a%0Ab', CORRELATION],
      ['a tab in a run correlation_id', '/v1/action-runs', 'correlation_id=a%09b', CORRELATION],
      ['an empty stats correlation_id', '/v1/action-runs/stats', 'correlation_id=', CORRELATION],
      ['a changed_field starting with a digit', '/v1/audit', 'changed_field=1abc', FIELD],
      ['a changed_field of 65 characters', '/v1/audit', `changed_field=a${'b'.repeat(64)}`, FIELD],
      ['a space in changed_field', '/v1/audit', 'changed_field=a%20b', FIELD],
      ['changed_field on runs', '/v1/action-runs', 'changed_field=replicas', 'changed_field is not a known query parameter'],
      ['a misspelt filter', '/v1/audit', 'correlationid=x', 'correlationid is not a known query parameter'],
    ])('answers 400 to %s', async (_why, path, query, message) => {
      const res: HttpAnswer<{ message: string[] }> = await get(`${path}?${query.replace(/[^\x20-\x7e]/gu, (c) => q(c))}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(message);
    });

    it('takes a correlation_id of exactly 128 characters', async () => {
      expect((await get(`/v1/audit?correlation_id=${q('😀'.repeat(128))}`)).status).toBe(200);
    });

    it('refuses invalid changes and correlation ids at ingest, naming the field and the item', async () => {
      const bad = await ingest('/v1/audit-events', acme, [auditEvent(), auditEvent({ changes: { replicas: 3 } })]);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toEqual(['[1].changes.replicas must be an object with only before and/or after']);
      const big = await ingest('/v1/audit-events', acme, auditEvent({ changes: { f: { after: 'x'.repeat(16_385) } } }));
      expect(big.body.message).toEqual(['changes must be at most 16384 bytes as UTF-8 JSON']);
      const ctl = await ingest('/v1/action-runs', acme, run(randomUUID(), 'running', 'a\u0007b'));
      expect(ctl.body.message).toEqual(['correlationId must be 1 to 128 printable characters']);
      const proto = await request<{ message: string[] }>('POST', `${t.ingestUrl}/v1/audit-events`, {
        key: acme,
        rawBody: JSON.stringify(auditEvent()).replace(/}$/, ',"changes":{"__proto__":{"after":1}}}'),
      });
      expect(proto.body.message).toEqual(['changes.__proto__ is not a known field']);
    });
  });
});
