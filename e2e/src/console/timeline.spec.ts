import { readFileSync } from 'node:fs';
import { checkView, request, retryUntil, type BrowserSession } from '@runtrail/testing';
import { accessibleDescription, columnHeaders, dataRows, events, parseCsv, openSignedIn, seedAuditEvents, useConsole } from './support';

jest.setTimeout(60_000);

interface AuditRecord {
  id: number;
  eventId: string;
  happenedAt: string;
  action: string;
  entityType: string;
  entityName: string | null;
  sourceName: string;
  [field: string]: unknown;
}

const TABLE = 'Audit timeline';
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

/** The timeline view: search qualifiers, presets, paging, the record dialog, downloads (console spec, "Timeline"). */
describe('console: timeline', () => {
  const c = useConsole('consoletimeline');
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    writer = (await c.t.issueKey({ tenantId: 'acme', name: 'control-plane', scopes: ['events:write'] })).key;
    reader = (await c.t.issueKey({ tenantId: 'acme', name: 'auditor', principalType: 'User', scopes: ['audit:read'] })).key;
    await seedAuditEvents(c.t, writer, [
      // 100 project updates over the past days: three pages of 40
      ...events(100, 'project', (i) => ({ action: 'Update', entityType: 'Project', happenedAt: minutesAgo(24 * 60 + i * 17) })),
      // 12 deletions in the last hour, 13 older ones
      ...events(12, 'recent-delete', (i) => ({ action: 'Delete', entityType: 'Group', happenedAt: minutesAgo(5 + i * 4) })),
      ...events(13, 'old-delete', (i) => ({ action: 'Delete', entityType: 'Group', happenedAt: minutesAgo(3 * 24 * 60 + i) })),
      // a source name with a space, for a quoted qualifier value
      ...events(3, 'jane', (i) => ({ action: 'Login', entityType: 'Login', sourceName: 'Jane Doe', happenedAt: minutesAgo(90 + i), context: { ip_address: '10.0.0.1', note: 'a "quoted", comma' } })),
    ]);
  }, 60_000);

  const api = async (query: string) => {
    const res = await request<AuditRecord[]>('GET', `${c.t.queryUrl}/v1/audit?${query}`, { key: reader });
    expect(res.status).toBe(200);
    return { records: res.body, next: /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1] };
  };

  /** The query string of a `Link: rel="next"` path. */
  const nextQuery = (next: string | undefined) => {
    if (!next) throw new Error('the API sent no next page');
    return next.slice(next.indexOf('?') + 1);
  };

  async function search(s: BrowserSession, text: string): Promise<void> {
    await s.page.getByRole('searchbox', { name: 'Search', exact: true }).fill(text);
    await s.page.getByRole('button', { name: 'Search', exact: true }).click();
  }

  /** Waits until the table shows exactly these entity names, in this order. */
  async function expectRows(s: BrowserSession, names: (string | null)[]): Promise<string[]> {
    return retryUntil(async () => {
      const rows = await dataRows(s.page, TABLE).allInnerTexts();
      expect(rows).toHaveLength(names.length);
      rows.forEach((row, i) => expect(row).toContain(names[i]));
      return rows;
    });
  }

  it('filters by a qualifier and pages with Next page through the API’s cursor', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    expect(await columnHeaders(s.page, TABLE)).toEqual(['Time (UTC)', 'Action', 'Source', 'Entity', 'Outcome']);
    await checkView(s.page, 'timeline');

    await search(s, 'entity_type:Project');
    const page1 = await api('entity_type=Project');
    await expectRows(s, page1.records.map((r) => r.entityName));
    expect(page1.records).toHaveLength(40);
    expect(new URL(s.page.url()).searchParams.get('q')).toBe('entity_type:Project');

    await s.page.getByRole('button', { name: 'Next page', exact: true }).click();
    const page2 = await api(nextQuery(page1.next));
    await expectRows(s, page2.records.map((r) => r.entityName));
    const cursor = new URL(s.page.url()).searchParams.get('cursor');
    expect(cursor).toBeTruthy();
    expect(new URLSearchParams(nextQuery(page1.next)).get('cursor')).toBe(cursor);

    await s.page.getByRole('button', { name: 'Next page', exact: true }).click();
    const page3 = await api(nextQuery(page2.next));
    expect(page3.records).toHaveLength(20);
    expect(page3.next).toBeUndefined();
    await expectRows(s, page3.records.map((r) => r.entityName));
    // the last page offers no next one
    expect((await s.page.getByRole('button', { name: 'Next page', exact: true }).count()) === 0 || (await s.page.getByRole('button', { name: 'Next page', exact: true }).isDisabled())).toBe(true);

    // the URL is the state: reloading shows the same page
    await s.page.reload();
    await expectRows(s, page3.records.map((r) => r.entityName));

    await s.page.getByRole('button', { name: 'First page', exact: true }).click();
    await expectRows(s, page1.records.map((r) => r.entityName));
    expect(new URL(s.page.url()).searchParams.get('cursor')).toBeNull();
  });

  it('takes a quoted qualifier value, and refuses a bare word under the box without searching', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    await search(s, 'source_name:"Jane Doe" action:Login');
    await expectRows(s, ['jane-000', 'jane-001', 'jane-002']);
    const searched = new URL(s.page.url()).searchParams.get('q') ?? '';
    expect(searched).toContain('source_name:"Jane Doe"');
    expect(searched).toContain('action:Login');

    await search(s, 'Jane');
    // the error is under the box: the search field's description names the bare word
    const box = s.page.getByRole('searchbox', { name: 'Search', exact: true });
    await retryUntil(async () => expect(await accessibleDescription(box)).toMatch(/Jane/));
    expect(await s.page.getByRole('alert').filter({ hasText: 'Jane' }).isVisible()).toBe(true);
    // no search happened: the URL and the table still hold the last valid one
    expect(new URL(s.page.url()).searchParams.get('q')).toBe(searched);
    await expectRows(s, ['jane-000', 'jane-001', 'jane-002']);
  });

  it('narrows with a time-range preset', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    await search(s, 'action:Delete');
    const all = await api('action=Delete');
    expect(all.records).toHaveLength(25);
    await expectRows(s, all.records.map((r) => r.entityName));

    const range = s.page.getByRole('combobox', { name: 'Time range', exact: true });
    const options = (await range.getByRole('option').allInnerTexts()).map((o) => o.trim());
    expect(options).toEqual(['Any time', 'Last hour', 'Last 24 hours', 'Last 7 days', 'Custom range']);
    await range.selectOption({ label: 'Last hour' });
    const recent = all.records.filter((r) => Date.parse(r.happenedAt) > Date.now() - 3_600_000);
    expect(recent.map((r) => r.entityName)).toEqual(Array.from({ length: 12 }, (_, i) => `recent-delete-${String(i).padStart(3, '0')}`));
    await expectRows(s, recent.map((r) => r.entityName));
    const url = new URL(s.page.url());
    expect(url.searchParams.get('range')).toBe('1h');
    expect(url.searchParams.get('q')).toBe('action:Delete');
  });

  it('opens a record in a dialog with its raw JSON, from a row and from the URL, and closes it', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    await search(s, 'action:Login');
    const { records } = await api('action=Login');
    await expectRows(s, records.map((r) => r.entityName));
    const first = records[0];

    // the time cell: UTC as text, the local time (Europe/Berlin here) in its title
    const timeCell = dataRows(s.page, TABLE).first().getByRole('cell').first();
    const utc = first.happenedAt.slice(11, 16);
    expect(await timeCell.innerText()).toContain(first.happenedAt.slice(0, 10));
    expect(await timeCell.innerText()).toContain(utc);
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(first.happenedAt));
    expect(await timeCell.getAttribute('title')).toContain(berlin);

    await dataRows(s.page, TABLE).first().getByRole('button', { name: 'Login', exact: true }).click();
    const dialog = s.page.getByRole('dialog', { name: `Record ${first.id}`, exact: true });
    await dialog.waitFor();
    expect(new URL(s.page.url()).searchParams.get('record')).toBe(String(first.id));
    const raw = JSON.parse(await dialog.getByRole('region', { name: 'Raw JSON', exact: true }).innerText()) as AuditRecord;
    expect(raw).toEqual(first);
    expect(await dialog.innerText()).toContain(first.eventId);
    await checkView(s.page, 'record');

    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(new URL(s.page.url()).searchParams.get('record')).toBeNull();

    // a link with record= opens it; Escape closes it
    const link = new URL(s.page.url());
    link.searchParams.set('record', String(first.id));
    await s.page.goto(link.toString());
    await dialog.waitFor();
    await s.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  it("shows a record's changes as a before/after table, and its correlation id leads to the entries that carry it", async () => {
    const correlation = 'CHG-4711 nginx rollout';
    const changes = {
      replicas: { before: 2, after: 3 },
      image: { before: 'nginx:1.25.2', after: 'nginx:1.25.3' },
      owner: { after: 'team-b' },
      legacyFlag: { before: true },
      resources: { before: { limits: { cpu: '500m' } }, after: { limits: { cpu: '1', memory: '1Gi' } } },
      note: { before: 'same', after: 'same' },
    };
    await seedAuditEvents(c.t, writer, [
      ...events(1, 'rollout', () => ({ action: 'Update', entityType: 'Deployment', happenedAt: minutesAgo(2), correlationId: correlation, changes })),
      ...events(1, 'approval', () => ({ action: 'Approve', entityType: 'ChangeRequest', happenedAt: minutesAgo(3), correlationId: correlation })),
    ]);
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    await search(s, 'changed_field:replicas');
    await expectRows(s, ['rollout-000']);
    expect(new URL(s.page.url()).searchParams.get('q')).toBe('changed_field:replicas');

    await dataRows(s.page, TABLE).first().getByRole('button', { name: 'Update', exact: true }).click();
    const dialog = s.page.getByRole('dialog', { name: /^Record \d+$/ });
    await dialog.waitFor();
    const diff = dialog.getByRole('table', { name: 'Changes', exact: true });
    expect((await diff.getByRole('columnheader').allInnerTexts()).map((h) => h.trim())).toEqual(['Field', 'Change', 'Before', 'After']);
    const rows = (await diff.getByRole('row').filter({ has: s.page.getByRole('cell') }).allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
    // one row per field, by name; the kind of change in words; non-strings as compact JSON
    expect(rows).toEqual([
      'image changed nginx:1.25.2 nginx:1.25.3',
      'legacyFlag removed true (none after)',
      'note unchanged same same',
      'owner added (none before) team-b',
      'replicas changed 2 3',
      'resources changed {"limits":{"cpu":"500m"}} {"limits":{"cpu":"1","memory":"1Gi"}}',
    ]);
    await checkView(s.page, 'record-changes');

    expect(await dialog.getByRole('link', { name: `Runs of correlation ${correlation}`, exact: true }).getAttribute('href')).toBe(`/runs?correlation_id=${encodeURIComponent(correlation).replace(/%20/g, '+')}`);
    await dialog.getByRole('link', { name: `Timeline of correlation ${correlation}`, exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectRows(s, ['rollout-000', 'approval-000']);
    expect(new URL(s.page.url()).searchParams.get('q')).toBe(`correlation_id:"${correlation}"`);
  });

  it('downloads CSV and JSON of the current filter, the same rows as the API’s own download', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    await s.page.getByRole('table', { name: TABLE, exact: true }).waitFor();
    await search(s, 'action:Login');
    await expectRows(s, ['jane-000', 'jane-001', 'jane-002']);
    await search(s, 'action:Delete');
    await expectRows(s, (await api('action=Delete')).records.map((r) => r.entityName));

    const [csvFile] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download CSV', exact: true }).click()]);
    expect(csvFile.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const browserCsv = parseCsv(readFileSync(await csvFile.path(), 'utf8'));
    const apiCsv = await request('GET', `${c.t.queryUrl}/v1/audit?action=Delete&download=true&format=csv`, { key: reader });
    expect(apiCsv.status).toBe(200);
    const expected = parseCsv(apiCsv.text);
    expect(expected).toHaveLength(26); // header + 25
    expect(browserCsv).toEqual(expected);

    const [jsonFile] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download JSON', exact: true }).click()]);
    expect(jsonFile.suggestedFilename()).toMatch(/^audit-.*\.json$/);
    const apiJson = await request<AuditRecord[]>('GET', `${c.t.queryUrl}/v1/audit?action=Delete&download=true`, { key: reader });
    expect(JSON.parse(readFileSync(await jsonFile.path(), 'utf8'))).toEqual(apiJson.body);

    // a context with quotes and a comma survives the CSV round trip too
    await search(s, 'source_name:"Jane Doe"');
    await expectRows(s, ['jane-000', 'jane-001', 'jane-002']);
    const [janeFile] = await Promise.all([s.page.waitForEvent('download'), s.page.getByRole('button', { name: 'Download CSV', exact: true }).click()]);
    const janeApi = await request('GET', `${c.t.queryUrl}/v1/audit?source_name=${encodeURIComponent('Jane Doe')}&download=true&format=csv`, { key: reader });
    const janeRows = parseCsv(readFileSync(await janeFile.path(), 'utf8'));
    expect(janeRows).toEqual(parseCsv(janeApi.text));
    expect(JSON.parse(janeRows[1][janeRows[0].indexOf('context')])).toEqual({ ip_address: '10.0.0.1', note: 'a "quoted", comma' });
  });
});
