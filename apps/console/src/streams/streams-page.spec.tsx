import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, renderConsole } from '../test/fake-api';
import { stream, streamsApi } from '../test/streams';

const SIEM = stream();
const CHAT = stream({
  id: '7e1a0000-0000-4000-8000-000000000002',
  name: 'ops-chat',
  kind: 'slack',
  url: 'https://hooks.slack.com/services/T000/B000/XXXXSECRET',
  filter: {},
  from: 'beginning',
  state: 'error',
  lastDeliveredAt: null,
  lastError: 'hooks.slack.com answered 403: invalid_token',
  lagEntries: 1234,
});
const ARCHIVE = stream({ id: '7e1a0000-0000-4000-8000-000000000003', name: 'archive', kind: 'syslog', url: 'syslog+tls://logs.example.com:6514', filter: { source_name: 'Jane Doe' }, state: 'paused', lagEntries: 7 });

const table = () => screen.findByRole('table', { name: 'Streams' });
const rowOf = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name} `) });
const cells = (row: HTMLElement) => within(row).getAllByRole('cell').map((c) => c.textContent);

describe('streams', () => {
  it('lists each stream with its kind, target, filter, state in words, lag, last delivery and last error', async () => {
    const api = streamsApi([SIEM, CHAT, ARCHIVE]);
    renderConsole('/streams', api.fetch);
    const list = await table();
    expect(within(list).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Name', 'Kind', 'Target', 'Filter', 'State', 'Lag', 'Last delivery (UTC)', 'Last error', 'Actions']);
    await waitFor(() => expect(within(list).getAllByRole('row')).toHaveLength(4));
    expect(cells(rowOf('siem'))).toEqual(['siem', 'webhook', 'https://siem.example.com/runtrail', 'entity_type=ActionRun success=false', 'active', '0', '2026-11-30 10:05:00', '—', 'PauseTestDelete']);
    // a Slack webhook's URL is its credential: only its origin shows
    expect(cells(rowOf('ops-chat'))).toEqual(['ops-chatfrom the beginning', 'slack', 'https://hooks.slack.com/…', 'every entry', 'error', '1,234', '—', 'hooks.slack.com answered 403: invalid_token', 'PauseTestDelete']);
    expect(document.body.innerHTML).not.toContain('XXXXSECRET');
    expect(cells(rowOf('archive'))).toEqual(['archive', 'syslog', 'syslog+tls://logs.example.com:6514', 'source_name="Jane Doe"', 'paused', '7', '2026-11-30 10:05:00', '—', 'ResumeTestDelete']);
    // the three states are distinct words, each its own badge
    expect(['active', 'error', 'paused'].map((state) => within(list).getByText(state, { selector: '.badge' }).className)).toEqual(['badge badge-active', 'badge badge-error', 'badge badge-paused']);
  });

  it('reads the list again on Refresh, so state and lag can be watched', async () => {
    let lag = 3;
    const api = streamsApi([], { scopes: ['admin'] }, { 'GET /v1/streams': () => Response.json([stream({ lagEntries: lag })]) });
    renderConsole('/streams', api.fetch);
    await table();
    await waitFor(() => expect(cells(rowOf('siem'))[5]).toBe('3'));
    lag = 0;
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(cells(rowOf('siem'))[5]).toBe('0'));
  });

  it('pauses and resumes a stream, the button turning into the other and keeping the focus', async () => {
    const api = streamsApi([SIEM]);
    renderConsole('/streams', api.fetch);
    await table();
    await userEvent.click(await screen.findByRole('button', { name: 'Pause siem' }));
    const resume = await screen.findByRole('button', { name: 'Resume siem' });
    expect(cells(rowOf('siem'))[4]).toBe('paused');
    expect(screen.getByText('Paused siem.')).toHaveAttribute('role', 'status');
    await waitFor(() => expect(resume).toHaveFocus());
    expect(api.calls('POST', `/v1/streams/${SIEM.id}/pause`)).toHaveLength(1);

    await userEvent.click(resume);
    await screen.findByRole('button', { name: 'Pause siem' });
    expect(cells(rowOf('siem'))[4]).toBe('active');
    expect(screen.getByText('Resumed siem.')).toBeInTheDocument();
    expect(api.calls('POST', `/v1/streams/${SIEM.id}/resume`)).toHaveLength(1);
  });

  it('sends a test record and says so', async () => {
    const api = streamsApi([SIEM]);
    renderConsole('/streams', api.fetch);
    await table();
    await userEvent.click(await screen.findByRole('button', { name: 'Test siem' }));
    expect(await screen.findByText(/^Test record sent to siem\./)).toHaveAttribute('role', 'status');
    expect(api.calls('POST', `/v1/streams/${SIEM.id}/test`)).toHaveLength(1);
  });

  it('deletes a stream only after confirmation, and Cancel keeps it', async () => {
    const api = streamsApi([SIEM, ARCHIVE]);
    renderConsole('/streams', api.fetch);
    await table();
    const remove = await screen.findByRole('button', { name: 'Delete siem' });
    await userEvent.click(remove);
    expect(rowOf('siem')).toHaveTextContent('Delete the stream siem?');
    await userEvent.click(within(rowOf('siem')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Delete siem' })).toHaveFocus());
    expect(api.calls('DELETE', `/v1/streams/${SIEM.id}`)).toHaveLength(0);

    await userEvent.click(screen.getByRole('button', { name: 'Delete siem' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm delete' }));
    expect(await screen.findByText('Deleted siem.')).toHaveAttribute('role', 'status');
    expect(screen.queryByRole('row', { name: /^siem / })).toBeNull();
    expect(rowOf('archive')).toBeInTheDocument();
    expect(api.calls('DELETE', `/v1/streams/${SIEM.id}`)).toHaveLength(1);
  });

  it('shows the service’s message when an act fails', async () => {
    renderConsole('/streams', streamsApi([SIEM], { scopes: ['admin'] }, { 'POST /v1/streams/*/test': apiError(404, `stream ${SIEM.id} not found`) }).fetch);
    await table();
    await userEvent.click(await screen.findByRole('button', { name: 'Test siem' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(`stream ${SIEM.id} not found`);
    expect(screen.queryByText(/Test record sent/)).toBeNull();
  });

  it('shows the root key every tenant’s streams with their tenant', async () => {
    renderConsole('/streams', streamsApi([SIEM, stream({ id: '7e1a0000-0000-4000-8000-000000000004', tenantId: 'globex', name: 'globex-siem' })], { kind: 'root', name: 'root', tenantId: null, scopes: ['admin'] }).fetch);
    const list = await table();
    expect(within(list).getAllByRole('columnheader').map((th) => th.textContent)).toContain('Tenant');
    await waitFor(() => expect(cells(rowOf('globex-siem'))[1]).toBe('globex'));
  });

  it('says when there are no streams', async () => {
    renderConsole('/streams', streamsApi([]).fetch);
    expect(await within(await table()).findByText('No streams.')).toBeInTheDocument();
  });

  it('tells a key without admin that the view needs it, and asks nothing of the API', async () => {
    const api = streamsApi([SIEM], { scopes: ['audit:read'] }, { 'GET /v1/audit': Response.json([]) });
    renderConsole('/streams', api.fetch);
    expect(await screen.findByText('This key does not have the scope admin, which this view needs.')).toBeInTheDocument();
    expect(api.calls('GET', '/v1/streams')).toHaveLength(0);
  });
});
