import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ActionRunDetail, Command, Scope } from '../api/types';
import { apiError, fakeApi, json, renderConsole, whoami } from '../test/fake-api';
import { actionRunDetail } from '../test/runs';

const RUN = '1b9f3c52-5a4e-4c1e-9f2a-2f6d8b1c0a01';
const ORIGINAL = '0d2e4c6a-1111-4222-8333-944455566677';
const NEW_RUN = '7c7c7c7c-2222-4333-8444-955566677788';
const COMMAND = 'cccccccc-3333-4444-8555-a66677788899';

const run = (overrides: Partial<ActionRunDetail> = {}): ActionRunDetail =>
  actionRunDetail({
    id: RUN,
    status: 'failed',
    exitCode: 2,
    retriggeredFrom: ORIGINAL,
    retriggers: [{ commandId: 'dddddddd-0000-4000-8000-000000000001', status: 'succeeded', newRunId: NEW_RUN }],
    ...overrides,
  });

const command = (status: Command['status'], newRunId: string | null = null, error: string | null = null): Command => ({
  id: COMMAND,
  runId: RUN,
  runnerId: 'eeeeeeee-0000-4000-8000-000000000001',
  status,
  reason: 'flaky registry',
  requestedBy: { sourceType: 'User', sourceId: 'k', sourceName: 'jane' },
  requestedAt: '2026-11-30T11:00:00.000Z',
  updatedAt: '2026-11-30T11:00:01.000Z',
  expiresAt: '2026-11-30T12:00:00.000Z',
  newRunId,
  exitCode: null,
  scheduleId: null,
  error,
});

function runApi(scopes: Scope[], extra: Parameters<typeof fakeApi>[0] = {}) {
  return fakeApi({ 'GET /v1/whoami': json(whoami({ scopes })), 'GET /v1/action-runs/*': json(run()), 'GET /v1/schedules': json([]), ...extra });
}

describe('run page', () => {
  it('shows every field, where the run came from and what it started', async () => {
    renderConsole(`/runs/${RUN}`, runApi(['audit:read']).fetch);
    expect(await screen.findByRole('heading', { level: 1, name: 'Run nginx deploy' })).toBeInTheDocument();
    const field = (label: string) => screen.getByText(label, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(field('Status')).toBe('failed');
    expect(field('Duration')).toBe('1 m 05 s');
    expect(field('Host')).toBe('ci-7');
    expect(field('OS user')).toBe('gitlab');
    expect(field('CLI version')).toBe('1.4.0');
    expect(field('Block reference')).toBe('registry/acme/nginx:0.3.1');
    expect(field('Version')).toBe('0.3.1');
    expect(field('Workspace')).toBe('acme-prod');
    expect(field('Exit code')).toBe('2');
    expect(field('Started')).toBe('2026-11-30 10:00:00 UTC');
    expect(screen.getByRole('link', { name: 'Re-triggered from' })).toHaveAttribute('href', `/runs/${ORIGINAL}`);
    const retriggers = screen.getByRole('table', { name: 'Re-triggers' });
    expect(within(retriggers).getByRole('link', { name: NEW_RUN })).toHaveAttribute('href', `/runs/${NEW_RUN}`);
  });

  it('links its correlation id to the timeline and the runs that carry it', async () => {
    renderConsole(`/runs/${RUN}`, runApi(['audit:read'], { 'GET /v1/action-runs/*': json(run({ correlationId: 'gl-991' })) }).fetch);
    const link = await screen.findByRole('link', { name: 'Timeline of correlation gl-991' });
    expect(link).toHaveAttribute('href', '/timeline?q=correlation_id%3Agl-991');
    expect(screen.getByRole('link', { name: 'Runs of correlation gl-991' })).toHaveAttribute('href', '/runs?correlation_id=gl-991');
  });

  it('has no Re-trigger without runs:retrigger', async () => {
    renderConsole(`/runs/${RUN}`, runApi(['audit:read']).fetch);
    await screen.findByRole('heading', { level: 1, name: 'Run nginx deploy' });
    expect(screen.queryByRole('button', { name: 'Re-trigger' })).toBeNull();
  });

  it('re-triggers with a reason and follows the command until it ends, then links the new run', async () => {
    let polls = 0;
    const api = runApi(['audit:read', 'runs:retrigger'], {
      'POST /v1/action-runs/*/retrigger': json({ commandId: COMMAND, runId: RUN, runnerId: 'r', status: 'dispatched' }, { status: 202 }),
      'GET /v1/commands/*': () => {
        polls += 1;
        return json(polls === 1 ? command('running') : command('succeeded', NEW_RUN));
      },
    });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Re-trigger' }));
    const reason = screen.getByRole('textbox', { name: 'Reason' });
    expect(reason).toBeRequired();
    expect(reason).toHaveFocus();
    await userEvent.type(reason, 'flaky registry');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm re-trigger' }));
    const progress = await screen.findByRole('status', { name: 'Command progress' });
    await waitFor(() => expect(progress).toHaveTextContent('succeeded'), { timeout: 4000 });
    expect(screen.getByRole('link', { name: 'New run' })).toHaveAttribute('href', `/runs/${NEW_RUN}`);
    // before the projection has it, the new command is in the Re-triggers table from its live state
    const row = within(screen.getByRole('table', { name: 'Re-triggers' })).getByText(COMMAND).closest('tr');
    await waitFor(() => expect(row).toHaveTextContent('succeeded'));
    expect(JSON.parse(await (api.calls('POST', `/v1/action-runs/${RUN}/retrigger`)[0]?.body ?? ''))).toEqual({ reason: 'flaky registry' });
    expect(polls).toBe(2);
  }, 10_000);

  it('says why the service failed a command whose runner went silent', async () => {
    const why = 'the runner edge-1 stopped heartbeating; lease of 60 s expired';
    const api = runApi(['audit:read', 'runs:retrigger'], {
      'POST /v1/action-runs/*/retrigger': json({ commandId: COMMAND, runId: RUN, runnerId: 'r', status: 'dispatched' }, { status: 202 }),
      'GET /v1/commands/*': json(command('failed', null, why)),
    });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Re-trigger' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'again');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm re-trigger' }));
    const progress = await screen.findByRole('status', { name: 'Command progress' });
    await waitFor(() => expect(progress).toHaveTextContent('failed'), { timeout: 4000 });
    expect(screen.getByText(why)).toBeInTheDocument();
  }, 10_000);

  it("says why a re-trigger was refused in the API's words", async () => {
    const api = runApi(['audit:read', 'runs:retrigger'], {
      'POST /v1/action-runs/*/retrigger': apiError(409, 'no runner of tenant acme serves workspace acme-prod'),
    });
    renderConsole(`/runs/${RUN}`, api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Re-trigger' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Reason' }), 'again');
    await userEvent.click(screen.getByRole('button', { name: 'Confirm re-trigger' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('no runner of tenant acme serves workspace acme-prod');
  });
});
