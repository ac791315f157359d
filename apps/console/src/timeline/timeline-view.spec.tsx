import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { AuditRecord } from '../api/types';
import { fakeApi, json, renderConsole, whoami } from '../test/fake-api';

const record = (id: number, action: string, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  id,
  eventId: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
  tenantId: 'acme',
  happenedAt: '2022-07-07T09:45:32.069Z',
  action,
  version: '1.0',
  entityId: '1',
  entityType: 'Project',
  entityName: 'team-a',
  sourceType: 'User',
  sourceId: 'a79500fb',
  sourceName: 'test@run.ai',
  success: true,
  context: { ip_address: '10.244.0.0' },
  receivedAt: '2022-07-07T09:45:33.000Z',
  changes: null,
  correlationId: null,
  ...overrides,
});

function timelineApi(pages: Record<string, { rows: AuditRecord[]; next?: string }>) {
  return fakeApi({
    'GET /v1/whoami': json(whoami()),
    'GET /v1/audit': (_req, url) => {
      const page = pages[url.searchParams.get('cursor') ?? 'first'] ?? { rows: [] };
      return json(page.rows, page.next ? { headers: { Link: `</v1/audit?limit=2&cursor=${page.next}>; rel="next"` } } : {});
    },
  });
}

const location = () => screen.getByTestId('location').textContent ?? '';

describe('timeline', () => {
  it('shows a page: UTC times with the local time in the title, the action as a button', async () => {
    renderConsole('/timeline', timelineApi({ first: { rows: [record(7, 'Delete', { success: false })] } }).fetch);
    const table = await screen.findByRole('table', { name: 'Audit timeline' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Time (UTC)', 'Action', 'Source', 'Entity', 'Outcome']);
    const cell = (await within(table).findByText('2022-07-07 09:45:32')).closest('td');
    expect(cell).toHaveAttribute('title', expect.stringMatching(/^Local time: /) as unknown);
    expect(within(table).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(within(table).getByText('failure')).toBeInTheDocument();
  });

  it('shows a bare word as an error under the search box and asks nothing', async () => {
    const api = timelineApi({ first: { rows: [] } });
    renderConsole('/timeline', api.fetch);
    await screen.findByRole('table', { name: 'Audit timeline' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'jane');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    const error = screen.getByRole('alert');
    expect(error).toHaveTextContent('“jane” is not a filter');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveAccessibleDescription(expect.stringContaining('“jane” is not a filter') as unknown as string);
    expect(api.calls('GET', '/v1/audit')).toHaveLength(1);
    expect(location()).toBe('/timeline');
  });

  it('puts a search in the URL and asks the API with its filters', async () => {
    const api = timelineApi({ first: { rows: [] } });
    renderConsole('/timeline?cursor=old', api.fetch);
    await screen.findByRole('table', { name: 'Audit timeline' });
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'action:Delete source_name:"Jane Doe"');
    await userEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(location()).toBe('/timeline?q=action%3ADelete+source_name%3A%22Jane+Doe%22'));
    await waitFor(() => expect(api.calls('GET', '/v1/audit')).toHaveLength(2));
    const query = api.calls('GET', '/v1/audit')[1]?.url.searchParams;
    expect(Object.fromEntries(query ?? [])).toEqual({ action: 'Delete', source_name: 'Jane Doe' });
  });

  it('follows the Link cursor one page at a time, and First page goes back', async () => {
    const api = timelineApi({ first: { rows: [record(9, 'Create'), record(8, 'Update')], next: 'c2' }, c2: { rows: [record(7, 'Login')] } });
    renderConsole('/timeline?limit=2', api.fetch);
    await screen.findByRole('button', { name: 'Create' });
    expect(screen.getByRole('button', { name: 'First page' })).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('button', { name: 'Login' })).toBeInTheDocument();
    expect(location()).toBe('/timeline?limit=2&cursor=c2');
    expect(api.calls('GET', '/v1/audit')[1]?.url.search).toBe('?limit=2&cursor=c2');
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'First page' }));
    expect(await screen.findByRole('button', { name: 'Create' })).toBeInTheDocument();
    expect(location()).toBe('/timeline?limit=2');
  });

  it('opens a record in a dialog named after it, with its raw JSON; Escape closes it', async () => {
    renderConsole('/timeline', timelineApi({ first: { rows: [record(1024, 'Update')] } }).fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Update' }));
    const dialog = screen.getByRole('dialog', { name: 'Record 1024' });
    expect(location()).toBe('/timeline?record=1024');
    const raw = within(dialog).getByRole('region', { name: 'Raw JSON' });
    expect(JSON.parse(raw.textContent ?? '')).toEqual(record(1024, 'Update'));
    fireEvent(dialog, new Event('cancel', { cancelable: true })); // what Escape does to a modal dialog
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(location()).toBe('/timeline');
  });

  it("shows a record's changes as a before/after table in its dialog", async () => {
    const changed = record(77, 'Update', { changes: { replicas: { before: 2, after: 3 }, owner: { after: 'jane' } } });
    renderConsole('/timeline?record=77', timelineApi({ first: { rows: [changed] } }).fetch);
    const dialog = await screen.findByRole('dialog', { name: 'Record 77' });
    const changes = await within(dialog).findByRole('table', { name: 'Changes' });
    expect(within(changes).getByRole('row', { name: /replicas/ })).toHaveTextContent(/replicas\s*changed\s*2\s*3/);
    expect(within(changes).getByRole('row', { name: /owner/ })).toHaveTextContent('added');
  });

  it('links a correlation id to the timeline and the runs filtered by it, and the timeline asks the API with it', async () => {
    const api = timelineApi({ first: { rows: [record(78, 'Update', { correlationId: 'pipeline 4711' })] } });
    renderConsole('/timeline?record=78', api.fetch);
    const dialog = await screen.findByRole('dialog', { name: 'Record 78' });
    expect(await within(dialog).findByRole('link', { name: 'Runs of correlation pipeline 4711' })).toHaveAttribute('href', '/runs?correlation_id=pipeline+4711');
    const timeline = within(dialog).getByRole('link', { name: 'Timeline of correlation pipeline 4711' });
    expect(timeline).toHaveAttribute('href', '/timeline?q=correlation_id%3A%22pipeline+4711%22');
    await userEvent.click(timeline);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await waitFor(() => expect(api.calls('GET', '/v1/audit').at(-1)?.url.searchParams.get('correlation_id')).toBe('pipeline 4711'));
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('correlation_id:"pipeline 4711"');
  });

  it('shows no changes table for a record without changes', async () => {
    renderConsole('/timeline?record=79', timelineApi({ first: { rows: [record(79, 'Login')] } }).fetch);
    const dialog = await screen.findByRole('dialog', { name: 'Record 79' });
    expect(await within(dialog).findByText('Event id')).toBeInTheDocument();
    expect(within(dialog).queryByRole('table', { name: 'Changes' })).toBeNull();
  });

  it('opens the record a link names, and Close closes it', async () => {
    renderConsole('/timeline?record=5', timelineApi({ first: { rows: [record(5, 'Login')] } }).fetch);
    const dialog = await screen.findByRole('dialog', { name: 'Record 5' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('pins a preset range to the instant it was chosen, so a cursor stays valid', async () => {
    const api = timelineApi({ first: { rows: [] } });
    renderConsole('/timeline', api.fetch);
    await screen.findByRole('table', { name: 'Audit timeline' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Time range' }), 'Last hour');
    await waitFor(() => expect(location()).toMatch(/^\/timeline\?range=1h&start=\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ$/));
    const start = new URLSearchParams(location().split('?')[1]).get('start');
    await waitFor(() => expect(api.calls('GET', '/v1/audit').at(-1)?.url.searchParams.get('start')).toBe(start));
  });

  it('applies a custom range in UTC', async () => {
    const api = timelineApi({ first: { rows: [] } });
    renderConsole('/timeline', api.fetch);
    await screen.findByRole('table', { name: 'Audit timeline' });
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Time range' }), 'Custom range');
    fireEvent.change(screen.getByLabelText('From (UTC)'), { target: { value: '2026-01-01T00:00' } });
    fireEvent.change(screen.getByLabelText('To (UTC)'), { target: { value: '2026-01-31T23:59' } });
    await userEvent.click(screen.getByRole('button', { name: 'Apply range' }));
    await waitFor(() => expect(location()).toBe('/timeline?range=custom&start=2026-01-01T00%3A00Z&end=2026-01-31T23%3A59Z'));
  });

  it('downloads the current filter through the API and saves it under the name the API gives', async () => {
    const saved: { name: string; text: string }[] = [];
    Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined });
    onTestFinished(() => {
      Reflect.deleteProperty(URL, 'createObjectURL');
      Reflect.deleteProperty(URL, 'revokeObjectURL');
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push({ name: this.download, text: this.href });
    });
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/audit': (_req, url) =>
        url.searchParams.get('download') === 'true'
          ? new Response('id,eventId\r\n', { headers: { 'Content-Type': 'text/csv', 'Content-Disposition': 'attachment; filename="audit-2026-11-30T06-40-34-117Z.csv"' } })
          : json([]),
    });
    renderConsole('/timeline?q=action%3ADelete&cursor=abc&limit=20', api.fetch);
    await screen.findByRole('table', { name: 'Audit timeline' });
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(saved).toEqual([{ name: 'audit-2026-11-30T06-40-34-117Z.csv', text: 'blob:x' }]));
    const download = api.calls('GET', '/v1/audit').find((c) => c.url.searchParams.has('download'));
    expect(Object.fromEntries(download?.url.searchParams ?? [])).toEqual({ action: 'Delete', download: 'true', format: 'csv' });
    expect(download?.authorization).toBe('Bearer rt_test');
  });
});
