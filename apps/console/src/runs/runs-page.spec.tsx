import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ActionRun } from '../api/types';
import { fakeApi, json, renderConsole, whoami } from '../test/fake-api';
import { actionRun } from '../test/runs';

const run = (id: string, correlationId: string | null): ActionRun =>
  actionRun({
    id,
    correlationId,
    block: { name: 'nginx', from: null, version: '0.3.1' },
    finishedAt: '2026-11-30T10:00:01.000Z',
    durationMs: 1000,
    updatedAt: '2026-11-30T10:00:01.100Z',
  });

const location = () => screen.getByTestId('location').textContent ?? '';

describe('runs', () => {
  it("links each run's correlation id, and the runs link filters the list by it through the API", async () => {
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/action-runs': (_req, url) =>
        json(url.searchParams.get('correlation_id') === 'gl-991' ? [run('a1', 'gl-991')] : [run('a1', 'gl-991'), run('a2', null)]),
    });
    renderConsole('/runs', api.fetch);
    const table = await screen.findByRole('table', { name: 'Action runs' });
    expect(within(table).getAllByRole('columnheader').map((th) => th.textContent)).toContain('Correlation');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(3));
    expect(within(table).getByRole('link', { name: 'Timeline of correlation gl-991' })).toHaveAttribute('href', '/timeline?q=correlation_id%3Agl-991');
    await userEvent.click(within(table).getByRole('link', { name: 'Runs of correlation gl-991' }));
    await waitFor(() => expect(location()).toBe('/runs?correlation_id=gl-991'));
    await waitFor(() => expect(api.calls('GET', '/v1/action-runs').at(-1)?.url.searchParams.get('correlation_id')).toBe('gl-991'));
    expect(screen.getByRole('textbox', { name: 'Correlation id' })).toHaveValue('gl-991');
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(2));
  });

  it('filters by correlation id from the filter form', async () => {
    const api = fakeApi({ 'GET /v1/whoami': json(whoami()), 'GET /v1/action-runs': json([]) });
    renderConsole('/runs', api.fetch);
    await screen.findByText('No runs match.');
    await userEvent.type(screen.getByRole('textbox', { name: 'Correlation id' }), 'CHG-1234');
    await userEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => expect(location()).toBe('/runs?correlation_id=CHG-1234'));
    await waitFor(() => expect(api.calls('GET', '/v1/action-runs').at(-1)?.url.searchParams.get('correlation_id')).toBe('CHG-1234'));
  });
});
