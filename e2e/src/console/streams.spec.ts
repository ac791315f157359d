import { auditEvent, checkView, eventually, request, retryUntil, startWebhookReceiver, type BrowserSession, type RecordingReceiver } from '@runtrail/testing';
import { columnHeaders, dataRows, openSignedIn, useConsole } from './support';

jest.setTimeout(90_000);

interface StreamStatus {
  id: string;
  name: string;
  state: string;
  lagEntries: number;
}

const TABLE = 'Streams';
const SECRET = 'whsec-console-0123456789abcdef';
/** The list's columns for a tenant key; the last one holds the row's buttons. */
const COLUMNS = ['Name', 'Kind', 'Target', 'Filter', 'State', 'Lag', 'Last delivery (UTC)', 'Last error', 'Actions'];
const cellOf = (s: BrowserSession, name: string, column: string) => dataRows(s.page, TABLE).filter({ hasText: name }).getByRole('cell').nth(COLUMNS.indexOf(column));

/** Streams out from the console (CONTRACT §7, §8) against the real stack and a webhook receiver that checks every signature. */
describe('console: streams', () => {
  // Receivers listen on loopback: the allow list names it, as a deployment names its SIEM's
  // network. A failing receiver shows as error after 2 s, and is tried again within 2 s.
  const c = useConsole('consolestreams', { STREAM_TARGET_ALLOW: '127.0.0.1/32,localhost', STREAM_ERROR_AFTER_SECONDS: '2', STREAM_MAX_BACKOFF_SECONDS: '2' });
  let admin: string;
  let reader: string;
  let writer: string;
  let hook: RecordingReceiver | undefined;

  beforeAll(async () => {
    admin = (await c.t.issueKey({ tenantId: 'acme', name: 'stream-admin', principalType: 'User', scopes: ['admin', 'audit:read'] })).key;
    reader = (await c.t.issueKey({ tenantId: 'acme', name: 'auditor', principalType: 'User', scopes: ['audit:read'] })).key;
    writer = (await c.t.issueKey({ tenantId: 'acme', name: 'control-plane', scopes: ['events:write'] })).key;
    hook = await startWebhookReceiver(SECRET);
  });

  afterAll(async () => {
    await hook?.stop();
  });

  const receiver = () => {
    if (!hook) throw new Error('the webhook receiver did not start');
    return hook;
  };

  async function ingest(events: Record<string, unknown>[]): Promise<void> {
    const res = await request('POST', `${c.t.ingestUrl}/v1/audit-events`, { key: writer, body: events });
    expect(res.status).toBe(202);
  }

  const arrived = (eventIds: unknown[]) =>
    eventually(async () => (eventIds.every((id) => receiver().distinctEventIds().includes(id as string)) ? true : undefined), 30_000, `${eventIds.length} records at the receiver`);

  /** Clicks Refresh until the page shows what `check` expects: the list is read afresh on each click. */
  const refreshUntil = (s: BrowserSession, check: () => Promise<void>) =>
    retryUntil(async () => {
      await s.page.getByRole('button', { name: 'Refresh', exact: true }).click();
      await s.page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor({ state: 'detached' });
      await check();
    }, 30_000, 250);

  const notice = (s: BrowserSession, text: string) => s.page.getByRole('status').filter({ hasText: text }).waitFor();

  /** Signed in on the timeline, then to Streams through the Main navigation. */
  async function openStreams(s: BrowserSession): Promise<void> {
    await openSignedIn(s.page, c.t.queryUrl, admin, '/timeline');
    await s.page.getByRole('navigation', { name: 'Main', exact: true }).getByRole('link', { name: 'Streams', exact: true }).click();
    await s.page.getByRole('heading', { level: 1, name: 'Streams', exact: true }).waitFor();
  }

  it('creates a filtered webhook stream and shows its delivery, lag and error; pauses, resumes, tests and deletes it', async () => {
    const s = await c.open();
    await openStreams(s);
    expect(await columnHeaders(s.page, TABLE)).toEqual(COLUMNS);
    await dataRows(s.page, TABLE).filter({ hasText: 'No streams.' }).waitFor();

    await s.page.getByRole('button', { name: 'New stream', exact: true }).click();
    const form = s.page.getByRole('region', { name: 'New stream', exact: true });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('siem');
    expect(await form.getByRole('combobox', { name: 'Kind', exact: true }).inputValue()).toBe('webhook');
    await form.getByRole('textbox', { name: 'URL', exact: true }).fill(receiver().url);
    const secret = form.getByLabel('Signing secret', { exact: true });
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill(SECRET);
    await form.getByRole('textbox', { name: 'Filter', exact: true }).fill('entity_type:Project');
    await checkView(s.page, 'streams-new');
    await form.getByRole('button', { name: 'Create stream', exact: true }).click();
    await notice(s, 'Created siem.');
    await form.waitFor({ state: 'detached' });

    const [created] = (await request<StreamStatus[]>('GET', `${c.t.queryUrl}/v1/streams`, { key: admin })).body;
    expect(created).toMatchObject({ name: 'siem', kind: 'webhook', url: receiver().url, filter: { entity_type: 'Project' }, from: 'now', state: 'active' });
    await retryUntil(async () => {
      expect(await cellOf(s, 'siem', 'State').innerText()).toBe('active');
      expect(await cellOf(s, 'siem', 'Filter').innerText()).toBe('entity_type=Project');
      expect(await cellOf(s, 'siem', 'Target').innerText()).toBe(receiver().url);
    });
    // the secret went to the service once and is nowhere on the page
    expect(await s.page.content()).not.toContain(SECRET);

    // Groups first: once the last project has arrived, everything before it has been through the filter.
    const groups = [1, 2].map((i) => auditEvent({ entityType: 'Group', entityId: `group-${i}`, happenedAt: new Date().toISOString() }));
    const projects = [1, 2, 3].map((i) => auditEvent({ entityType: 'Project', entityId: `project-${i}`, happenedAt: new Date().toISOString() }));
    await ingest([...groups, ...projects]);
    await arrived(projects.map((e) => e.eventId));
    expect(receiver().distinctEventIds()).toEqual(projects.map((e) => e.eventId));
    await refreshUntil(s, async () => {
      expect(await cellOf(s, 'siem', 'Last delivery (UTC)').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(await cellOf(s, 'siem', 'Lag').innerText()).toBe('0');
    });

    // A receiver that fails: what waits shows as lag, the stream turns to error with the reason, and recovers by itself.
    receiver().fail({ status: 503 });
    const duringOutage = [1, 2].map((i) => auditEvent({ entityType: 'Project', entityId: `outage-${i}`, happenedAt: new Date().toISOString() }));
    await ingest(duringOutage);
    await refreshUntil(s, async () => {
      expect(await cellOf(s, 'siem', 'State').innerText()).toBe('error');
      expect(await cellOf(s, 'siem', 'Lag').innerText()).toBe('2');
      expect(await cellOf(s, 'siem', 'Last error').innerText()).toContain('answered 503');
    });
    await checkView(s.page, 'streams');
    receiver().recover();
    await arrived(duringOutage.map((e) => e.eventId));
    await refreshUntil(s, async () => {
      expect(await cellOf(s, 'siem', 'State').innerText()).toBe('active');
      expect(await cellOf(s, 'siem', 'Lag').innerText()).toBe('0');
      expect(await cellOf(s, 'siem', 'Last error').innerText()).toBe('—');
    });

    await s.page.getByRole('button', { name: 'Pause siem', exact: true }).click();
    await notice(s, 'Paused siem.');
    await retryUntil(async () => expect(await cellOf(s, 'siem', 'State').innerText()).toBe('paused'));
    expect((await request<StreamStatus[]>('GET', `${c.t.queryUrl}/v1/streams`, { key: admin })).body[0]?.state).toBe('paused');
    await s.page.getByRole('button', { name: 'Resume siem', exact: true }).click();
    await notice(s, 'Resumed siem.');
    await retryUntil(async () => expect(await cellOf(s, 'siem', 'State').innerText()).toBe('active'));
    expect((await request<StreamStatus[]>('GET', `${c.t.queryUrl}/v1/streams`, { key: admin })).body[0]?.state).toBe('active');

    await s.page.getByRole('button', { name: 'Test siem', exact: true }).click();
    await notice(s, 'Test record sent to siem.');
    const probe = await eventually(async () => receiver().records.find((r) => r.entityType === 'StreamTest'), 30_000, 'the test record');
    expect(probe).toMatchObject({ action: 'Test', entityId: created?.id });

    await s.page.getByRole('button', { name: 'Delete siem', exact: true }).click();
    await s.page.getByRole('button', { name: 'Confirm delete', exact: true }).click();
    await notice(s, 'Deleted siem.');
    await dataRows(s.page, TABLE).filter({ hasText: 'No streams.' }).waitFor();
    expect((await request<StreamStatus[]>('GET', `${c.t.queryUrl}/v1/streams`, { key: admin })).body).toEqual([]);
    await refreshUntil(s, async () => expect(await dataRows(s.page, TABLE).allInnerTexts()).toEqual(['No streams.']));
    // every request the receiver got was signed with the secret
    expect(receiver().refused).toEqual([]);
  });

  it('shows the service’s 400 messages beside the form, and creates nothing', async () => {
    const s = await c.open();
    await openStreams(s);
    await s.page.getByRole('button', { name: 'New stream', exact: true }).click();
    const form = s.page.getByRole('region', { name: 'New stream', exact: true });
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('too-short');
    await form.getByRole('textbox', { name: 'URL', exact: true }).fill(receiver().url);

    // the service's own words for what it refuses, asked the same way the form asks
    const refused = async (body: Record<string, unknown>) => {
      const res = await request<{ message: string[] }>('POST', `${c.t.queryUrl}/v1/streams`, { key: admin, body: { name: 'too-short', kind: 'webhook', from: 'now', ...body } });
      expect(res.status).toBe(400);
      return res.body.message.join('; ');
    };

    await form.getByLabel('Signing secret', { exact: true }).fill('short');
    await form.getByRole('button', { name: 'Create stream', exact: true }).click();
    const shortSecret = await refused({ url: receiver().url, secret: 'short' });
    expect(shortSecret).toContain('16 characters or more');
    await retryUntil(async () => expect(await form.getByRole('alert').innerText()).toBe(shortSecret));

    // a host outside STREAM_TARGET_ALLOW, which only the service knows
    await form.getByLabel('Signing secret', { exact: true }).fill(SECRET);
    await form.getByRole('textbox', { name: 'URL', exact: true }).fill('http://10.20.30.40/runtrail');
    await form.getByRole('button', { name: 'Create stream', exact: true }).click();
    const outside = await refused({ url: 'http://10.20.30.40/runtrail', secret: SECRET });
    expect(outside).toContain('STREAM_TARGET_ALLOW');
    await retryUntil(async () => expect(await form.getByRole('alert').innerText()).toBe(outside));
    await checkView(s.page, 'streams-refused');

    expect((await request<StreamStatus[]>('GET', `${c.t.queryUrl}/v1/streams`, { key: admin })).body).toEqual([]);
  });

  it('is not offered to a key without admin', async () => {
    const s = await c.open();
    await openSignedIn(s.page, c.t.queryUrl, reader, '/timeline');
    const nav = s.page.getByRole('navigation', { name: 'Main', exact: true });
    await retryUntil(async () => expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Timeline', 'Runs', 'Deployments', 'Insights']));
    expect(await nav.getByRole('link', { name: 'Streams', exact: true }).count()).toBe(0);
  });
});
