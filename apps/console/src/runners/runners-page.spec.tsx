import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../api/types';
import { fakeApi, json, renderConsole, whoami } from '../test/fake-api';

const RUNNER: Runner = {
  id: 'aaaaaaaa-0000-4000-8000-000000000001',
  name: 'ci-runner',
  workspaces: ['*'],
  online: true,
  lastSeenAt: '2026-11-30T10:00:00.000Z',
  hostname: 'ci-7',
  version: '1.4.0',
};

describe('runners', () => {
  it('lists runners, registers one showing its token once, and removes one after confirmation', async () => {
    let runners = [RUNNER];
    const api = fakeApi({
      'GET /v1/whoami': json(whoami({ scopes: ['runners:manage'] })),
      'GET /v1/runners': () => json(runners),
      'POST /v1/runners': json({ id: 'bbbbbbbb-0000-4000-8000-000000000002', name: 'gpu', workspaces: ['acme-prod'], token: 'rtr_secret' }, { status: 201 }),
      'DELETE /v1/runners/*': () => {
        runners = [];
        return new Response(null, { status: 204 });
      },
    });
    renderConsole('/runners', api.fetch);
    const table = await screen.findByRole('table', { name: 'Runners' });
    expect(await within(table).findByText('online')).toBeInTheDocument();
    expect(within(table).getByText('2026-11-30 10:00:00')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Register runner' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'gpu');
    const workspaces = screen.getByRole('textbox', { name: 'Workspaces' });
    await userEvent.clear(workspaces);
    await userEvent.type(workspaces, 'acme-prod');
    await userEvent.click(screen.getByRole('button', { name: 'Register' }));
    const token = await screen.findByRole('textbox', { name: 'Runner token' });
    expect(token).toHaveValue('rtr_secret');
    expect(token).toHaveAttribute('readonly');
    expect(screen.getByText(/it will not be shown again/)).toBeInTheDocument();
    expect(JSON.parse(await (api.calls('POST', '/v1/runners')[0]?.body ?? ''))).toEqual({ name: 'gpu', workspaces: ['acme-prod'] });

    await userEvent.click(screen.getByRole('button', { name: 'Remove ci-runner' }));
    expect(api.calls('DELETE', `/v1/runners/${RUNNER.id}`)).toHaveLength(0);
    await userEvent.click(screen.getByRole('button', { name: 'Confirm remove' }));
    await waitFor(() => expect(api.calls('DELETE', `/v1/runners/${RUNNER.id}`)).toHaveLength(1));
    expect(await screen.findByText('No runners are registered.')).toBeInTheDocument();
  });
});
