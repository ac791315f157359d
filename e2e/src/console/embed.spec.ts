import { checkView, eventually, request, retryUntil, type BrowserSession } from '@runtrail/testing';
import { EMBED_REFUSED, dataRows, events, localStorageOf, seedAuditEvents, sessionStorageOf, useConsole } from './support';

jest.setTimeout(60_000);

interface ViewerToken {
  token: string;
  expiresAt: string;
  url: string;
  tenantId: string;
  sourceId: string | null;
}

const TABLE = 'Audit timeline';
const SOURCE_A = 'a0000000-0000-4000-8000-00000000000a';
const SOURCE_B = 'b0000000-0000-4000-8000-00000000000b';

/** `/embed?token=…`: one tenant's (and one source's) timeline for a viewer token, until it expires (console spec, "Embed"). */
describe('console: embed with a viewer token', () => {
  const c = useConsole('consoleembed');
  let acmeAdmin: string;

  beforeAll(async () => {
    acmeAdmin = (await c.t.issueKey({ tenantId: 'acme', name: 'acme-admin', scopes: ['admin', 'audit:read'] })).key;
    const acmeWriter = (await c.t.issueKey({ tenantId: 'acme', name: 'acme-cp', scopes: ['events:write'] })).key;
    const globexWriter = (await c.t.issueKey({ tenantId: 'globex', name: 'globex-cp', scopes: ['events:write'] })).key;
    const recent = (i: number) => new Date(Date.now() - (10 + i) * 60_000).toISOString();
    await Promise.all([
      seedAuditEvents(c.t, acmeWriter, [
        ...events(3, 'acme-by-a', (i) => ({ sourceId: SOURCE_A, sourceName: 'alice@acme.example', happenedAt: recent(i) })),
        ...events(2, 'acme-by-b', (i) => ({ sourceId: SOURCE_B, sourceName: 'bob@acme.example', happenedAt: recent(10 + i) })),
      ]),
      seedAuditEvents(c.t, globexWriter, events(2, 'globex', (i) => ({ sourceId: SOURCE_A, sourceName: 'alice@acme.example', happenedAt: recent(i) }))),
    ]);
  }, 60_000);

  async function viewerToken(body: Record<string, unknown>): Promise<ViewerToken> {
    const res = await request<ViewerToken>('POST', `${c.t.queryUrl}/v1/viewer-tokens`, { key: acmeAdmin, body });
    expect(res.status).toBe(201);
    expect(res.body.url).toBe(`${c.t.queryUrl}/embed?token=${res.body.token}`);
    return res.body;
  }

  /** The rows that show a record: each has its action as a button (an empty table has a row saying so). */
  const records = (s: BrowserSession) => dataRows(s.page, TABLE).filter({ has: s.page.getByRole('button') });
  const names = async (s: BrowserSession) => (await dataRows(s.page, TABLE).allInnerTexts()).join('\n');

  it('shows only the token’s tenant, without navigation or sign-out, and keeps the token out of storage', async () => {
    const token = await viewerToken({ ttlSeconds: 600 });
    const s = await c.open();
    await s.page.goto(token.url);
    await s.page.getByRole('heading', { level: 1, name: 'Audit log', exact: true }).waitFor();
    const text = await retryUntil(async () => {
      const rows = await names(s);
      for (const n of ['acme-by-a-000', 'acme-by-a-001', 'acme-by-a-002', 'acme-by-b-000', 'acme-by-b-001']) expect(rows).toContain(n);
      return rows;
    });
    expect(text).not.toContain('globex');
    expect(await s.page.getByRole('navigation', { name: 'Main', exact: true }).count()).toBe(0);
    expect(await s.page.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    expect(await s.page.getByRole('button', { name: 'Next page', exact: true }).count()).toBe(1);
    expect(await s.page.getByRole('searchbox', { name: 'Search', exact: true }).count()).toBe(1);
    expect(JSON.stringify(await sessionStorageOf(s.page))).not.toContain(token.token);
    expect(await localStorageOf(s.page)).toEqual({});
    expect(await s.context.cookies()).toEqual([]);
    await checkView(s.page, 'embed');
  });

  it('shows only the token’s source when it has one, even when the search asks for another', async () => {
    const token = await viewerToken({ ttlSeconds: 600, sourceId: SOURCE_A });
    expect(token.sourceId).toBe(SOURCE_A);
    const s = await c.open();
    await s.page.goto(token.url);
    await retryUntil(async () => {
      const rows = await dataRows(s.page, TABLE).allInnerTexts();
      expect(rows).toHaveLength(3);
      rows.forEach((r, i) => expect(r).toContain(`acme-by-a-00${i}`));
    });
    // a source_id filter narrows, never widens
    const wider = new URL(token.url);
    wider.searchParams.set('q', `source_id:${SOURCE_B}`);
    await s.page.goto(wider.toString());
    await s.page.getByRole('heading', { level: 1, name: 'Audit log', exact: true }).waitFor();
    expect(await s.page.getByRole('searchbox', { name: 'Search', exact: true }).inputValue()).toBe(`source_id:${SOURCE_B}`);
    await retryUntil(async () => expect(await s.page.getByRole('status').filter({ hasText: 'Loading…' }).count()).toBe(0));
    expect(await records(s).count()).toBe(0);
    expect(await s.page.locator('body').innerText()).not.toContain('acme-by-b');
  });

  it('stops working when the token expires: a reload shows the alert and no rows', async () => {
    // the browser is ready before the token's few seconds start
    const s = await c.open();
    const token = await viewerToken({ ttlSeconds: 5 });
    await s.page.goto(token.url);
    await retryUntil(async () => expect(await names(s)).toContain('acme-by-a-000'));
    await eventually(
      async () => ((await request('GET', `${c.t.queryUrl}/v1/audit?limit=1`, { key: token.token })).status === 401 ? true : undefined),
      20_000,
      'the viewer token to expire',
    );
    await s.page.reload();
    await retryUntil(async () => expect(await s.page.getByRole('alert').innerText()).toContain(EMBED_REFUSED));
    expect(await records(s).count()).toBe(0);
    expect(await s.page.locator('body').innerText()).not.toContain('acme-by-a');
  });

  it('refuses a forged token with the same alert', async () => {
    const s = await c.open();
    await s.page.goto(`${c.t.queryUrl}/embed?token=rtv_forgedforgedforgedforgedforgedforged00`);
    await retryUntil(async () => expect(await s.page.getByRole('alert').innerText()).toContain(EMBED_REFUSED));
    expect(await records(s).count()).toBe(0);
    await checkView(s.page, 'embed-expired');
  });
});
