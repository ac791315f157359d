import { eventually, checkView, request, retryUntil, type IssuedKey } from '@runtrail/testing';
import { KEY_REFUSED, SESSION_KEY, columnHeaders, dataRows, localStorageOf, openSignedIn, sessionStorageOf, signIn, useConsole } from './support';

jest.setTimeout(60_000);

const ALL_LINKS = ['Timeline', 'Runs', 'Deployments', 'Insights', 'Runners', 'Keys', 'Streams', 'Retention'];

/** Sign-in, the session, what the scopes show, and how API errors reach the user (console spec: sign-in, errors). */
describe('console: sign-in and session', () => {
  const c = useConsole('consolesignin');
  let admin: IssuedKey;
  let reader: IssuedKey;

  beforeAll(async () => {
    admin = await c.t.issueKey({ tenantId: 'acme', name: 'alice-admin', principalType: 'User', scopes: ['admin', 'audit:read', 'events:write', 'runs:retrigger', 'runners:manage'] });
    reader = await c.t.issueKey({ tenantId: 'acme', name: 'bob-reader', principalType: 'User', scopes: ['audit:read'] });
  });

  const navLinks = async (s: Awaited<ReturnType<typeof c.open>>) => s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link').allInnerTexts();

  it('refuses a bad key with an alert and keeps nothing', async () => {
    const s = await c.open();
    await s.page.goto(`${c.t.queryUrl}/`);
    await s.page.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).waitFor();
    await checkView(s.page, 'sign-in');
    await s.page.getByLabel('API key', { exact: true }).fill('rt_thisKeyWasNeverIssuedByTheServiceAtAll0000');
    await s.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await retryUntil(async () => expect(await s.page.getByRole('alert').innerText()).toMatch(/not accepted/i));
    expect(await s.page.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).isVisible()).toBe(true);
    expect(await s.page.getByLabel('API key', { exact: true }).getAttribute('type')).toBe('password');
    expect(await sessionStorageOf(s.page)).toEqual({});
  });

  it('signs in, keeps the key in this tab’s session storage only, survives a reload, and signs out', async () => {
    const s = await c.open();
    await signIn(s.page, c.t.queryUrl, admin.key);
    expect(new URL(s.page.url()).pathname).toBe('/timeline');
    await retryUntil(async () => expect(await navLinks(s)).toEqual(ALL_LINKS));
    // the tenant and the key's name, as text
    const body = await s.page.locator('body').innerText();
    expect(body).toContain('acme');
    expect(body).toContain('alice-admin');
    expect(await sessionStorageOf(s.page)).toEqual({ [SESSION_KEY]: admin.key });
    expect(await localStorageOf(s.page)).toEqual({});
    expect(await s.context.cookies()).toEqual([]);

    await s.page.reload();
    await s.page.getByRole('heading', { level: 1, name: 'Timeline', exact: true }).waitFor();
    // another tab of the same browser does not share it
    const other = await s.context.newPage();
    await other.goto(`${c.t.queryUrl}/timeline`);
    await other.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).waitFor();
    await other.close();
    // signed in, `/` goes to the timeline
    await s.page.goto(`${c.t.queryUrl}/`);
    await s.page.waitForURL(`${c.t.queryUrl}/timeline**`);
    await s.page.getByRole('heading', { level: 1, name: 'Timeline', exact: true }).waitFor();

    await s.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).waitFor();
    expect(await sessionStorageOf(s.page)).toEqual({});
    await s.page.goto(`${c.t.queryUrl}/timeline`);
    await s.page.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).waitFor();
    expect(await s.page.getByRole('navigation', { name: 'Main', exact: true }).count()).toBe(0);
  });

  it('shows only what the scopes allow: no Keys without admin, no Runners without runners:manage', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader.key, '/timeline');
    await s.page.getByRole('heading', { level: 1, name: 'Timeline', exact: true }).waitFor();
    await retryUntil(async () => expect(await navLinks(s)).toEqual(['Timeline', 'Runs', 'Deployments', 'Insights']));
    expect(await s.page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
    expect(await s.page.locator('body').innerText()).toContain('bob-reader');
  });

  it('lists the tenant’s keys on Keys for an admin key', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, admin.key, '/timeline');
    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Keys', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Keys', exact: true }).waitFor();
    expect(await columnHeaders(s.page, 'API keys')).toEqual(expect.arrayContaining(['Name', 'Scopes', 'Created', 'Last used', 'State']));
    await retryUntil(async () => {
      const rows = (await dataRows(s.page, 'API keys').allInnerTexts()).join('\n');
      expect(rows).toContain('alice-admin');
      expect(rows).toContain('bob-reader');
    });
    await checkView(s.page, 'keys');
  });

  it('returns to sign-in with an alert when the key is revoked mid-session', async () => {
    const doomed = await c.t.issueKey({ tenantId: 'acme', name: 'doomed', scopes: ['audit:read'] });
    const s = await c.open();
    await signIn(s.page, c.t.queryUrl, doomed.key);
    // the timeline has loaded with the key (so no request of the first page meets the revocation)
    await dataRows(s.page, 'Audit timeline').filter({ has: s.page.getByRole('button') }).first().waitFor();
    await s.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor({ state: 'detached' });
    expect((await request('DELETE', `${c.t.queryUrl}/v1/api-keys/${doomed.id}`, { key: c.t.adminKey })).status).toBe(204);
    await eventually(async () => ((await request('GET', `${c.t.queryUrl}/v1/audit?limit=1`, { key: doomed.key })).status === 401 ? true : undefined), 15_000, 'the revoked key to be refused');

    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Runs', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Sign in to Runtrail', exact: true }).waitFor();
    await retryUntil(async () => expect(await s.page.getByRole('alert').innerText()).toContain(KEY_REFUSED));
    expect(await sessionStorageOf(s.page)).toEqual({});
  });

  it('shows a loading state while the API answers', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader.key, '/runs');
    await s.page.getByRole('heading', { level: 1, name: 'Runs', exact: true }).waitFor();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    await s.page.route((url) => url.pathname === '/v1/audit', async (route) => {
      await gate;
      await route.continue();
    });
    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Timeline', exact: true }).click();
    await s.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
    release();
    await s.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor({ state: 'hidden' });
    await s.page.getByRole('table', { name: 'Audit timeline', exact: true }).waitFor();
  });

  it('says to retry, with the Retry-After seconds, when the API answers 429 or 503, and stays signed in', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader.key, '/timeline');
    await s.page.getByRole('table', { name: 'Audit timeline', exact: true }).waitFor();
    for (const [status, error, seconds] of [[429, 'Too Many Requests', '17'], [503, 'Service Unavailable', '23']] as const) {
      await s.page.unrouteAll();
      await s.page.route((url) => url.pathname === '/v1/audit', (route) =>
        route.fulfill({ status, headers: { 'retry-after': seconds, 'content-type': 'application/json' }, body: JSON.stringify({ statusCode: status, error, message: 'try again later' }) }),
      );
      await s.page.reload();
      await retryUntil(async () => {
        const alert = await s.page.getByRole('alert').innerText();
        expect(alert).toMatch(/retry/i);
        expect(alert).toContain(seconds);
      });
      // only a 401 ends the session
      expect(await sessionStorageOf(s.page)).toEqual({ [SESSION_KEY]: reader.key });
    }
  });

  it('shows the API’s message for another error', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader.key, '/timeline');
    const missing = '00000000-0000-4000-8000-000000000000';
    const api = await request<{ message: string }>('GET', `${c.t.queryUrl}/v1/action-runs/${missing}`, { key: reader.key });
    expect(api.status).toBe(404);
    await s.page.goto(`${c.t.queryUrl}/runs/${missing}`);
    await retryUntil(async () => expect(await s.page.getByRole('alert').innerText()).toContain(api.body.message));
  });
});
