import { publishPastFacts } from '@runtrail/fixtures';
import { auditEvent, checkView, eventually, request, retryUntil, type BrowserSession } from '@runtrail/testing';
import { describedValue, events, openSignedIn, seedAuditEvents, useConsole } from './support';
import type { RetentionView } from '../retention/retention-view';

jest.setTimeout(90_000);

const DAY = 86_400_000;
const UTC_TIME = '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}';

/** Retention and legal hold from the console (CONTRACT §8) against the real stack. */
describe('console: retention', () => {
  const c = useConsole('consoleretention');
  let admin: string;
  let reader: string;
  // Received 40 days ago (published onto the stream as the gateway stores them: the gateway
  // stamps every request now), and received now.
  const old = Array.from({ length: 3 }, (_, i) => auditEvent({ entityId: `old-${i}` }));
  const fresh = events(3, 'fresh');
  const ids = (list: Record<string, unknown>[]) => list.map((e) => e.eventId as string);

  beforeAll(async () => {
    // Before any key exists, so they are the first three entries of acme's log.
    await publishPastFacts(c.t.env.NATS_URL as string, c.t.namespace, [{ tenantId: 'acme', kind: 'audit', receivedAt: new Date(Date.now() - 40 * DAY).toISOString(), events: old }]);
    await eventually(async () => ((await stored(old)) === old.length ? true : undefined), 30_000, 'the past events projected');
    admin = (await c.t.issueKey({ tenantId: 'acme', name: 'retention-admin', principalType: 'User', scopes: ['admin', 'audit:read'] })).key;
    reader = (await c.t.issueKey({ tenantId: 'acme', name: 'auditor', principalType: 'User', scopes: ['audit:read'] })).key;
    const writer = (await c.t.issueKey({ tenantId: 'acme', name: 'control-plane', scopes: ['events:write'] })).key;
    await seedAuditEvents(c.t, writer, fresh);
  });

  /** How many of `list` the timeline table has. */
  async function stored(list: Record<string, unknown>[]): Promise<number> {
    const rows = await c.t.query<{ n: string }>('SELECT count(*) AS n FROM audit_events WHERE event_id = ANY($1::uuid[])', [ids(list)]);
    return Number(rows[0]?.n);
  }

  const policy = async () => {
    const res = await request<RetentionView>('GET', `${c.t.queryUrl}/v1/retention`, { key: admin });
    expect(res.status).toBe(200);
    return res.body;
  };

  const heading = (s: BrowserSession) => s.page.getByRole('heading', { level: 1, name: 'Retention', exact: true });
  const form = (s: BrowserSession) => s.page.getByRole('region', { name: 'Change the policy', exact: true });
  const daysField = (s: BrowserSession) => form(s).getByRole('spinbutton', { name: 'Days to keep', exact: true });
  const holdBox = (s: BrowserSession) => form(s).getByRole('checkbox', { name: 'Legal hold', exact: true });
  const save = (s: BrowserSession) => form(s).getByRole('button', { name: 'Save retention', exact: true }).click();
  const notice = (s: BrowserSession, text: string | RegExp) => s.page.getByRole('status').filter({ hasText: text }).waitFor();
  const shown = (s: BrowserSession, term: string) => describedValue(s.page, term).innerText();

  /** Signed in on the timeline, then to Retention through the Main navigation. */
  async function openRetention(s: BrowserSession): Promise<void> {
    await openSignedIn(s.page, c.t.queryUrl, admin, '/timeline');
    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Retention', exact: true }).click();
    await heading(s).waitFor();
    await s.page.getByRole('region', { name: 'Current policy', exact: true }).waitFor();
  }

  async function applyNow(s: BrowserSession): Promise<void> {
    await s.page.getByRole('button', { name: 'Apply retention now', exact: true }).click();
    await s.page.getByRole('button', { name: 'Confirm apply', exact: true }).click();
  }

  it('sets days and legal hold, shows them after a reload of /retention, removes nothing under the hold and what is due without it', async () => {
    const s = await c.open();
    await openRetention(s);
    expect(await shown(s, 'Entries kept')).toBe('forever (the default)');
    expect(await shown(s, 'Legal hold')).toBe('off');
    expect(await shown(s, 'Last removal')).toBe('none');
    expect(await daysField(s).inputValue()).toBe('0');

    await daysField(s).fill('30');
    await holdBox(s).check();
    await save(s);
    await notice(s, 'Saved. Entries are kept for 30 days; legal hold is on: retention removes nothing.');
    expect(await policy()).toMatchObject({ tenantId: 'acme', days: 30, legalHold: true });

    // A reload asks the query service for /retention itself: it serves the console, which reads the policy again.
    await s.page.reload();
    await heading(s).waitFor();
    expect(new URL(s.page.url()).pathname).toBe('/retention');
    await retryUntil(async () => expect(await shown(s, 'Entries kept')).toBe('30 days after they are received'));
    expect(await shown(s, 'Legal hold')).toBe('on: retention removes nothing');
    expect(await shown(s, 'Last changed (UTC)')).toMatch(new RegExp(`^${UTC_TIME}$`));
    expect(await daysField(s).inputValue()).toBe('30');
    expect(await holdBox(s).isChecked()).toBe(true);

    await applyNow(s);
    await notice(s, 'Nothing was removed: legal hold is on.');
    expect(await stored(old)).toBe(old.length);
    expect(await shown(s, 'Last removal')).toBe('none');

    // The hold lifted, the entries received 40 days ago go, those received now stay.
    await holdBox(s).uncheck();
    await save(s);
    await notice(s, 'Saved. Entries are kept for 30 days; legal hold is off.');
    await applyNow(s);
    await notice(s, new RegExp(`^Removed 3 entries received before ${UTC_TIME} UTC\\.$`));
    expect(await stored(old)).toBe(0);
    expect(await stored(fresh)).toBe(fresh.length);
    const { removed } = await policy();
    expect(removed).toMatchObject({ upToIndex: old.length });
    await retryUntil(async () => expect(await shown(s, 'Last removal')).toMatch(new RegExp(`^Removed entries before index 3, received before ${UTC_TIME} UTC, on ${UTC_TIME} UTC\\.$`)));
    // The screenshot (the viewport) shows what Apply answered, below the form.
    await s.page.getByRole('status').filter({ hasText: /^Removed 3 entries/ }).scrollIntoViewIfNeeded();
    await checkView(s.page, 'retention');
  });

  it('shows the service’s 400 beside the form, and changes nothing', async () => {
    const s = await c.open();
    await openRetention(s);
    const before = await policy();

    // the service's own words for what it refuses, asked the same way the form asks
    const res = await request<{ message: string[] }>('PUT', `${c.t.queryUrl}/v1/retention`, { key: admin, body: { days: 40_000 } });
    expect(res.status).toBe(400);
    const refused = res.body.message.join('; ');
    expect(refused).toContain('days');

    await daysField(s).fill('40000');
    await save(s);
    await retryUntil(async () => expect(await form(s).getByRole('alert').innerText()).toBe(refused));
    expect(await daysField(s).inputValue()).toBe('40000');
    expect(await policy()).toEqual(before);
  });

  it('is not offered to a key without admin', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    const nav = s.page.getByRole('navigation', { name: 'Main', exact: true });
    await retryUntil(async () => expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Timeline', 'Runs', 'Deployments', 'Insights']));
    expect(await nav.getByRole('link', { name: 'Retention', exact: true }).count()).toBe(0);
    // and /retention itself says why
    await s.page.goto(`${c.t.queryUrl}/retention`);
    await heading(s).waitFor();
    await s.page.getByText('This key does not have the scope admin, which this view needs.', { exact: true }).waitFor();
  });
});
