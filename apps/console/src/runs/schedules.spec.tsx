import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { ActionRunDetail, Schedule, Scope } from '../api/types';
import { apiError, fakeApi, json, renderConsole, whoami, type Reply } from '../test/fake-api';
import { actionRunDetail } from '../test/runs';

const RUN = '1b9f3c52-5a4e-4c1e-9f2a-2f6d8b1c0a01';
const S1 = '5c5c5c5c-0000-4000-8000-000000000001';
const S2 = '5c5c5c5c-0000-4000-8000-000000000002';
const NEW = '5c5c5c5c-0000-4000-8000-000000000003';

const run: ActionRunDetail = actionRunDetail({ id: RUN });

const schedule = (overrides: Partial<Schedule> = {}): Schedule => ({
  id: S1,
  runId: RUN,
  cron: '30 2 * * 0',
  timezone: 'Europe/Berlin',
  reason: 'weekly redeploy',
  runnerId: null,
  until: null,
  nextFireAt: '2026-12-06T01:30:00.000Z',
  paused: false,
  createdAt: '2026-11-29T08:00:00.000Z',
  correlationId: null,
  createdBy: { sourceType: 'User', sourceId: 'k', sourceName: 'jane' },
  lastFiredAt: null,
  lastCommandId: null,
  lastError: null,
  ...overrides,
});

function scheduleApi(scopes: Scope[], schedules: Schedule[], extra: Record<string, Reply> = {}) {
  return fakeApi({
    'GET /v1/whoami': json(whoami({ scopes })),
    'GET /v1/action-runs/*': json(run),
    'GET /v1/schedules': json(schedules),
    ...extra,
  });
}

const table = () => screen.findByRole('table', { name: 'Schedules of this run' });
const bodyOf = async (call: { body: Promise<string> } | undefined) => JSON.parse((await call?.body) ?? '') as unknown;

/** "Now", for the form's next fire times: a fixed instant, never the clock (only Date is faked). */
function fixNow(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  onTestFinished(() => {
    vi.useRealTimers();
  });
}

describe('run schedules', () => {
  it("lists the run's schedules with their reading, zone, next fire time, state, reason and last firing", async () => {
    const api = scheduleApi(
      ['audit:read'],
      [
        schedule(),
        schedule({ id: S2, cron: '0 6 1 * *', timezone: 'UTC', paused: true, nextFireAt: null, reason: 'monthly', lastFiredAt: '2026-11-01T06:00:00.000Z', lastError: 'no runner of tenant acme serves workspace acme-prod' }),
      ],
    );
    renderConsole(`/runs/${RUN}`, api.fetch);
    const list = await table();
    expect(within(list).getAllByRole('columnheader').map((th) => th.textContent)).toEqual(['Schedule', 'Time zone', 'Next fire', 'State', 'Reason', 'Last firing']);
    await waitFor(() => expect(within(list).getAllByRole('row')).toHaveLength(3));
    const rows = within(list).getAllByRole('row');
    expect(api.calls('GET', '/v1/schedules')[0]?.url.searchParams.get('run_id')).toBe(RUN);
    const [, weekly, monthly] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(weekly).toHaveTextContent('30 2 * * 0');
    expect(weekly).toHaveTextContent('At 02:30, only on Sunday');
    expect(weekly).toHaveTextContent('Europe/Berlin');
    expect(weekly).toHaveTextContent('Sun 2026-12-06 02:30');
    expect(weekly).toHaveTextContent('2026-12-06 01:30:00 UTC');
    expect(weekly).toHaveTextContent('active');
    expect(weekly).toHaveTextContent('weekly redeploy');
    expect(weekly).toHaveTextContent('Not fired yet');
    expect(monthly).toHaveTextContent('At 06:00, on day 1 of the month');
    expect(monthly).toHaveTextContent('paused');
    expect(monthly).toHaveTextContent('2026-11-01 06:00:00 UTC');
    expect(monthly).toHaveTextContent('Failed: no runner of tenant acme serves workspace acme-prod');
  });

  it('shows the list but no controls to a key without runs:retrigger', async () => {
    renderConsole(`/runs/${RUN}`, scheduleApi(['audit:read'], [schedule()]).fetch);
    await waitFor(async () => expect(within(await table()).getAllByRole('row')).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'New schedule' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^(Pause|Resume|Delete) / })).toBeNull();
    expect(within(await table()).getAllByRole('columnheader')).toHaveLength(6);
  });

  it('reads the cron expression as it is typed, with the next three fire times in the chosen zone', async () => {
    fixNow('2026-11-30T12:00:00Z');
    const api = scheduleApi(['audit:read', 'runs:retrigger'], []);
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'New schedule' }));
    const cron = screen.getByRole('textbox', { name: 'Cron expression' });
    expect(cron).toHaveFocus();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'Europe/Berlin');
    await userEvent.type(cron, '30 2 * * 0');
    expect(screen.getByText('At 02:30, only on Sunday')).toBeInTheDocument();
    const times = within(screen.getByRole('list', { name: 'Next three fire times' })).getAllByRole('listitem');
    expect(times.map((li) => li.textContent)).toEqual([
      'Sun 2026-12-06 02:30 Europe/Berlin (2026-12-06 01:30:00 UTC)',
      'Sun 2026-12-13 02:30 Europe/Berlin (2026-12-13 01:30:00 UTC)',
      'Sun 2026-12-20 02:30 Europe/Berlin (2026-12-20 01:30:00 UTC)',
    ]);
    expect(cron).toHaveAccessibleDescription(expect.stringContaining('At 02:30, only on Sunday') as unknown as string);

    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'UTC');
    expect(within(screen.getByRole('list', { name: 'Next three fire times' })).getAllByRole('listitem')[0]).toHaveTextContent('Sun 2026-12-06 02:30 UTC (2026-12-06 02:30:00 UTC)');

    await userEvent.type(cron, ' *');
    expect(cron).toHaveAttribute('aria-invalid', 'true');
    expect(cron).toHaveAccessibleDescription(expect.stringContaining('Write five fields') as unknown as string);
    expect(screen.queryByRole('list', { name: 'Next three fire times' })).toBeNull();
    await userEvent.type(screen.getByRole('textbox', { name: 'Schedule reason' }), 'weekly');
    await userEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
    expect(api.calls('POST', '/v1/schedules')).toHaveLength(0);
    expect(cron).toHaveFocus();
  });

  it('creates a schedule and lists it from the answer before the list has it', async () => {
    fixNow('2026-11-30T12:00:00Z');
    const created = schedule({ id: NEW, cron: '0 9 * * 1-5', timezone: 'UTC', reason: 'workday warm-up', until: '2027-01-31T00:00:00.000Z', nextFireAt: '2026-12-01T09:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z' });
    const api = scheduleApi(['audit:read', 'runs:retrigger'], [schedule()], { 'POST /v1/schedules': json(created, { status: 201 }) });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'New schedule' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Cron expression' }), '0 9 * * 1-5');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'UTC');
    await userEvent.type(screen.getByRole('textbox', { name: 'Schedule reason' }), 'workday warm-up');
    await userEvent.type(screen.getByLabelText('Until (UTC, optional)'), '2027-01-31T00:00');
    await userEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
    expect(await screen.findByText('Created the schedule 0 9 * * 1-5 (UTC).')).toBeInTheDocument();
    expect(await bodyOf(api.calls('POST', '/v1/schedules')[0])).toEqual({ runId: RUN, cron: '0 9 * * 1-5', timezone: 'UTC', reason: 'workday warm-up', until: '2027-01-31T00:00Z' });
    const rows = within(await table()).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('At 09:00, Monday through Friday');
    expect(screen.queryByRole('textbox', { name: 'Cron expression' })).toBeNull();
    await waitFor(() => expect(screen.getByRole('button', { name: 'New schedule' })).toHaveFocus());
  });

  it("shows the API's refusal of a schedule in its words", async () => {
    const api = scheduleApi(['audit:read', 'runs:retrigger'], [], { 'POST /v1/schedules': apiError(400, ['timezone must be an IANA time zone']) });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'New schedule' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Cron expression' }), '0 0 * * *');
    await userEvent.type(screen.getByRole('textbox', { name: 'Schedule reason' }), 'nightly');
    await userEvent.click(screen.getByRole('button', { name: 'Create schedule' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('timezone must be an IANA time zone');
    expect(screen.getByRole('textbox', { name: 'Cron expression' })).toHaveValue('0 0 * * *');
  });

  it('pauses, resumes and deletes (after confirmation) through the API', async () => {
    const api = scheduleApi(['audit:read', 'runs:retrigger'], [schedule()], {
      'POST /v1/schedules/*/pause': json(schedule({ paused: true, nextFireAt: null })),
      'POST /v1/schedules/*/resume': json(schedule()),
      'DELETE /v1/schedules/*': new Response(null, { status: 204 }),
    });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Pause 30 2 * * 0 (Europe/Berlin)' }));
    const resume = await screen.findByRole('button', { name: 'Resume 30 2 * * 0 (Europe/Berlin)' });
    expect(api.calls('POST', `/v1/schedules/${S1}/pause`)).toHaveLength(1);
    const row = () => within(screen.getByRole('table', { name: 'Schedules of this run' })).getAllByRole('row')[1];
    expect(row()).toHaveTextContent('paused');
    await waitFor(() => expect(resume).toHaveFocus());

    await userEvent.click(resume);
    await screen.findByRole('button', { name: 'Pause 30 2 * * 0 (Europe/Berlin)' });
    expect(api.calls('POST', `/v1/schedules/${S1}/resume`)).toHaveLength(1);
    expect(row()).toHaveTextContent('active');

    await userEvent.click(screen.getByRole('button', { name: 'Delete 30 2 * * 0 (Europe/Berlin)' }));
    expect(screen.getByText('Delete the schedule 30 2 * * 0 (Europe/Berlin)? It will not fire again.')).toBeInTheDocument();
    expect(api.calls('DELETE', `/v1/schedules/${S1}`)).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await userEvent.click(screen.getByRole('button', { name: 'Delete 30 2 * * 0 (Europe/Berlin)' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm delete' }));
    expect(await screen.findByText('This run has no schedules.')).toBeInTheDocument();
    expect(api.calls('DELETE', `/v1/schedules/${S1}`)).toHaveLength(1);
  });

  it("shows a refused pause in the API's words", async () => {
    const api = scheduleApi(['audit:read', 'runs:retrigger'], [schedule()], { 'POST /v1/schedules/*/pause': apiError(404, `schedule ${S1} not found`) });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Pause 30 2 * * 0 (Europe/Berlin)' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(`schedule ${S1} not found`);
  });
});
