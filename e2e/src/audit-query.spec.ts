import { auditEvent, eventually, request, startTestStack, type HttpAnswer, type TestStack } from '@runtrail/testing';

interface AuditRecord {
  id: number;
  eventId: string;
  tenantId: string;
  happenedAt: string;
  action: string;
  entityType: string;
  entityId: string | null;
  sourceType: string;
  sourceId: string | null;
  sourceName: string;
  success: boolean;
  context: Record<string, string>;
}

/** A fixed data set in two tenants: every filter of docs/api.md#get-v1-audit is checked against it. */
function dataset() {
  const acme = [
    auditEvent({ happenedAt: '2022-01-01T00:00:00.000Z', action: 'Login', entityType: 'Login', entityId: null, sourceName: 'alice@acme.io', sourceId: 'u-alice', success: false }),
    auditEvent({ happenedAt: '2022-01-01T23:59:59.999Z', action: 'Create', entityType: 'Project', entityId: 'p-1', sourceName: 'alice@acme.io', sourceId: 'u-alice' }),
    auditEvent({ happenedAt: '2022-01-02T00:00:00.000Z', action: 'Update', entityType: 'Project', entityId: 'p-1', sourceName: 'bob@acme.io', sourceId: 'u-bob' }),
    auditEvent({ happenedAt: '2022-07-07T09:45:32.069Z', action: 'Update', entityType: 'Department', entityId: 'd-9', sourceType: 'Application', sourceName: 'terraform', sourceId: 'app-1' }),
    auditEvent({ happenedAt: '2022-07-07T09:45:32.500Z', action: 'Delete', entityType: 'Project', entityId: 'p-1', sourceName: 'bob@acme.io', sourceId: 'u-bob' }),
    auditEvent({ happenedAt: '2022-07-07T09:45:33.000Z', action: 'Login', entityType: 'Login', entityId: null, sourceName: 'bob@acme.io', sourceId: 'u-bob' }),
  ];
  // Same happenedAt for several events: ties are broken by id, descending.
  const ties = Array.from({ length: 5 }, (_, i) =>
    auditEvent({ happenedAt: '2023-03-03T03:03:03.003Z', action: 'Update', entityType: 'Settings', entityId: `s-${i}`, sourceName: 'carol@acme.io' }),
  );
  const globex = [auditEvent({ happenedAt: '2022-07-07T09:45:32.069Z', entityType: 'Project', entityId: 'p-1', sourceName: 'eve@globex.io' })];
  return { acme: [...acme, ...ties], globex };
}

describe('audit query contract (GET /v1/audit, /v1/k8s/audit)', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;
  const data = dataset();

  beforeAll(async () => {
    t = await startTestStack('e2equery');
    acme = await t.createKey('acme', ['events:write', 'audit:read']);
    globex = await t.createKey('globex', ['events:write', 'audit:read']);
    // Posted one by one so the stored order (and so the ids) is known.
    for (const e of data.acme) expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: acme, body: e })).status).toBe(202);
    expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: globex, body: data.globex })).status).toBe(202);
    // The data set lies before 2024; the service's own entries (the key's creation) come after.
    await eventually(async () => {
      const res = await request<unknown[]>('GET', `${t.queryUrl}/v1/audit?end=2024-1-1&limit=1000`, { key: acme });
      return res.body.length === data.acme.length ? true : undefined;
    });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const getAs = (key: string | undefined, query: string, path = '/v1/audit') =>
    request<AuditRecord[]>('GET', `${t.queryUrl}${path}${query}`, { key });
  const get = (query: string) => getAs(acme, query);
  const ids = (records: AuditRecord[]) => records.map((r) => r.eventId);
  const expectIds = (events: Record<string, unknown>[]) => events.map((e) => e.eventId as string);

  it('needs audit:read', async () => {
    const writeOnly = await t.createKey('acme', ['events:write']);
    expect((await getAs(writeOnly, '')).status).toBe(403);
    expect((await getAs(undefined, '')).status).toBe(401);
  });

  it('answers newest first by happenedAt, ties broken by id descending, ids growing in stored order', async () => {
    const res = await get('?limit=1000');
    expect(res.status).toBe(200);
    const times = res.body.map((r) => r.happenedAt);
    expect(times).toEqual([...times].sort().reverse());
    const tied = res.body.filter((r) => r.happenedAt === '2023-03-03T03:03:03.003Z');
    expect(tied.map((r) => r.entityId)).toEqual(['s-4', 's-3', 's-2', 's-1', 's-0']);
    expect(tied.map((r) => r.id)).toEqual([...tied.map((r) => r.id)].sort((a, b) => b - a));
    const byStoredOrder = data.acme.map((e) => res.body.find((r) => r.eventId === e.eventId)!.id);
    expect(byStoredOrder).toEqual([...byStoredOrder].sort((a, b) => a - b));
  });

  it('serves the same answer at /v1/k8s/audit', async () => {
    // Up to 2024: the service's own entries (a key created by another test) may still be
    // arriving, and would land between the two reads.
    const a = await get('?start=2022-1-1&end=2024-1-1');
    const b = await getAs(acme, '?start=2022-1-1&end=2024-1-1', '/v1/k8s/audit');
    expect(a.body).toHaveLength(data.acme.length);
    expect(b.status).toBe(200);
    expect(b.body).toEqual(a.body);
  });

  it('never returns another tenant’s events, not even when filtering on their values', async () => {
    const res = await get('?limit=1000');
    expect(new Set(res.body.map((r) => r.tenantId))).toEqual(new Set(['acme']));
    expect((await get('?source_name=eve@globex.io')).body).toEqual([]);
    const theirs = await getAs(globex, '?end=2024-1-1&limit=1000');
    expect(ids(theirs.body)).toEqual(expectIds(data.globex));
  });

  it('lets the root key read every tenant', async () => {
    const res = await getAs(t.adminKey, '?limit=1000');
    expect(new Set(res.body.map((r) => r.tenantId))).toEqual(new Set(['acme', 'globex']));
  });

  it.each<[string, (e: Record<string, unknown>) => boolean]>([
    ['action=Update', (e) => e.action === 'Update'],
    ['source_type=Application', (e) => e.sourceType === 'Application'],
    ['source_id=u-bob', (e) => e.sourceId === 'u-bob'],
    ['source_name=alice@acme.io', (e) => e.sourceName === 'alice@acme.io'],
    ['entity_type=Project', (e) => e.entityType === 'Project'],
    ['entity_id=p-1', (e) => e.entityId === 'p-1'],
    ['entity_type=Project&entity_id=p-1&action=Delete', (e) => e.entityId === 'p-1' && e.action === 'Delete'],
    ['success=false', (e) => e.success === false],
    ['success=true', (e) => e.success !== false],
  ])('filters exactly on %s', async (query, predicate) => {
    const res = await get(`?${query}&end=2024-1-1&limit=1000`);
    expect(res.status).toBe(200);
    expect(new Set(ids(res.body))).toEqual(new Set(expectIds(data.acme.filter(predicate))));
    expect(res.body.length).toBeGreaterThan(0);
  });

  it('matches values exactly, with no wildcards', async () => {
    expect((await get('?source_name=%25acme%25')).body).toEqual([]);
    expect((await get('?entity_type=Proj*')).status).toBe(400);
  });

  it.each<[string, string[]]>([
    // start is inclusive; a date-only end includes that whole day
    ['start=2022-1-1&end=2022-1-1', ['2022-01-01T00:00:00.000Z', '2022-01-01T23:59:59.999Z']],
    ['start=2022-01-02&end=2022-01-02', ['2022-01-02T00:00:00.000Z']],
    // a date-time end (UTC, no zone) is inclusive of the second it names
    ['start=2022-7-7T9:45:32&end=2022-07-07T09:45:32', ['2022-07-07T09:45:32.069Z', '2022-07-07T09:45:32.500Z']],
    // full ISO-8601 with zone, down to the millisecond
    ['start=2022-07-07T11:45:32.069%2B02:00&end=2022-07-07T09:45:32.069Z', ['2022-07-07T09:45:32.069Z']],
    ['start=2023-1-1&end=2023-12-31', ['2023-03-03T03:03:03.003Z']],
  ])('reads the date range %s', async (query, expected) => {
    const res = await get(`?${query}&limit=1000`);
    expect(res.status).toBe(200);
    expect([...new Set(res.body.map((r) => r.happenedAt))].sort()).toEqual(expected.sort());
  });

  it.each([
    ['start=2022-13-01', /^start must be/],
    ['end=yesterday', /^end must be/],
    ['start=2022-02-30', /^start must be/],
    ['start=2022-2-2&end=2022-2-1', /^start must not be after end/],
    ['limit=0', /^limit must be an integer from 1 to 1000/],
    ['limit=1001', /^limit must be an integer from 1 to 1000/],
    ['limit=ten', /^limit must be an integer from 1 to 1000/],
    ['offset=-1', /^offset must be an integer/],
    ['success=yes', /^success must be true or false/],
    ['source_type=Robot', /^source_type must be User or Application/],
    ['actoin=Update', /^actoin is not a known query parameter/],
    ['action=Update&action=Delete', /^action must be/],
    ['cursor=forged.cursor', /^cursor is not valid/],
    ['format=csv', /^format applies only with download=true/],
    ['download=maybe', /^download must be true or false/],
  ])('answers 400 for %s, naming the parameter', async (query, pattern) => {
    const res = await get(`?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const messages = (res.body as unknown as { message: string[] }).message;
    expect(messages.some((m) => pattern.test(m))).toBe(true);
  });

  it('pages by limit (default 40) and offset', async () => {
    const all = (await get('?limit=1000')).body;
    expect(all.length).toBeLessThan(40);
    expect((await get('')).body).toEqual(all);
    expect((await get('?limit=3')).body).toEqual(all.slice(0, 3));
    expect((await get('?limit=3&offset=3')).body).toEqual(all.slice(3, 6));
  });

  it('links the next page by cursor, repeating filters and limit, until the last page', async () => {
    const all = (await get('?start=2022-1-1&limit=1000')).body;
    const seen: AuditRecord[] = [];
    let url: string | undefined = '/v1/audit?start=2022-1-1&limit=4&offset=0';
    let pages = 0;
    while (url) {
      const res = await request<AuditRecord[]>('GET', `${t.queryUrl}${url}`, { key: acme });
      expect(res.status).toBe(200);
      seen.push(...res.body);
      pages++;
      const link = res.headers.get('link');
      if (!link) break;
      const match = /^<(\/v1\/audit\?[^>]+)>; rel="next"$/.exec(link);
      expect(match).not.toBeNull();
      const next = new URL(match![1], t.queryUrl);
      expect(next.searchParams.get('start')).toBe('2022-1-1');
      expect(next.searchParams.get('limit')).toBe('4');
      expect(next.searchParams.has('offset')).toBe(false);
      url = match![1];
    }
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen).toEqual(all);
  });

  it('sends no Link when the page holds the rest', async () => {
    const res = await get('?limit=1000');
    expect(res.headers.get('link')).toBeNull();
  });

  it('refuses a cursor issued for other filters, and a cursor combined with offset', async () => {
    const first = await get('?action=Update&limit=1');
    const cursor = new URL(/^<([^>]+)>/.exec(first.headers.get('link')!)![1], t.queryUrl).searchParams.get('cursor')!;
    expect((await get(`?action=Login&limit=1&cursor=${encodeURIComponent(cursor)}`)).status).toBe(400);
    expect((await get(`?action=Update&limit=1&cursor=${encodeURIComponent(cursor)}&offset=1`)).status).toBe(400);
    expect((await get(`?action=Update&limit=1&cursor=${encodeURIComponent(cursor)}`)).status).toBe(200);
  });

  it('downloads the whole matching set as one JSON file', async () => {
    const all = (await get('?entity_type=Project&limit=1000')).body;
    const res = await get('?entity_type=Project&download=true&limit=1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.json"$/);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(all);
  });

  it('downloads RFC 4180 CSV with a header row of the field names and context as JSON in one cell', async () => {
    const res = await request('GET', `${t.queryUrl}/v1/audit?download=true&format=csv&action=Update&source_type=Application`, { key: acme });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-.*\.csv"$/);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      'id,eventId,tenantId,happenedAt,action,version,entityId,entityType,entityName,sourceType,sourceId,sourceName,success,context,receivedAt,changes,correlationId',
    );
    expect(lines).toHaveLength(3); // header, one record, final line break
    expect(lines[1]).toContain(',acme,2022-07-07T09:45:32.069Z,Update,1.0,d-9,Department,team-a,Application,app-1,terraform,true,');
    const contextCell = /,"(\{.*\})",/.exec(lines[1])![1].replace(/""/g, '"');
    expect(JSON.parse(contextCell)).toEqual({ user_agent: 'Mozilla/5.0', ip_address: '10.244.0.0' });
  });

  it('downloads and pages sets larger than one read chunk (1000) completely, in order, without repeats', async () => {
    const bulk = await t.createKey('bulk', ['events:write', 'audit:read']);
    const events = Array.from({ length: 2345 }, (_, i) =>
      auditEvent({ happenedAt: new Date(Date.UTC(2024, 0, 1) + (i % 700) * 1000).toISOString(), entityId: `e-${i}` }),
    );
    for (let i = 0; i < events.length; i += 1000) {
      expect((await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: bulk, body: events.slice(i, i + 1000) })).status).toBe(202);
    }
    // action=Update: the bulk events, not the service's entry for the bulk key's creation
    await eventually(async () => ((await getAs(bulk, '?action=Update&limit=1000&offset=2000')).body.length === 345 ? true : undefined), 30_000);

    const json = await getAs(bulk, '?action=Update&download=true');
    expect(json.body).toHaveLength(2345);
    expect(new Set(json.body.map((r) => r.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
    const order = json.body.map((r) => [r.happenedAt, r.id] as const);
    expect(order).toEqual([...order].sort((a, b) => (a[0] === b[0] ? b[1] - a[1] : a[0] < b[0] ? 1 : -1)));

    const csv = await request('GET', `${t.queryUrl}/v1/audit?action=Update&download=true&format=csv`, { key: bulk });
    expect(csv.text.split('\r\n')).toHaveLength(2345 + 2);

    const paged: AuditRecord[] = [];
    let url: string | undefined = '/v1/audit?action=Update&limit=1000';
    while (url) {
      const res: HttpAnswer<AuditRecord[]> = await request<AuditRecord[]>('GET', `${t.queryUrl}${url}`, { key: bulk });
      paged.push(...res.body);
      url = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '')?.[1];
    }
    expect(paged).toEqual(json.body);
  });

  it('downloads an empty set as an empty array / a header alone', async () => {
    expect((await get('?action=Nothing&download=true')).body).toEqual([]);
    const csv = await request('GET', `${t.queryUrl}/v1/audit?action=Nothing&download=true&format=csv`, { key: acme });
    expect(csv.text).toBe(
      'id,eventId,tenantId,happenedAt,action,version,entityId,entityType,entityName,sourceType,sourceId,sourceName,success,context,receivedAt,changes,correlationId\r\n',
    );
  });
});
