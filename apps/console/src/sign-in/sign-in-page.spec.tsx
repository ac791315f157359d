import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, json, renderConsole, whoami } from '../test/fake-api';

describe('sign-in', () => {
  it('keeps a key whoami accepts in sessionStorage only, and opens the timeline', async () => {
    const api = fakeApi({ 'GET /v1/whoami': json(whoami()), 'GET /v1/audit': json([]) });
    renderConsole('/', api.fetch, null);
    await userEvent.type(screen.getByLabelText('API key'), 'rt_good');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Timeline' })).toBeInTheDocument();
    expect(sessionStorage.getItem('runtrail.apiKey')).toBe('rt_good');
    expect(localStorage.length).toBe(0);
    expect(api.calls('GET', '/v1/whoami')[0]?.authorization).toBe('Bearer rt_good');
    await waitFor(() => expect(api.calls('GET', '/v1/audit')[0]?.authorization).toBe('Bearer rt_good'));
  });

  it('says a refused key was not accepted and keeps nothing', async () => {
    const api = fakeApi({ 'GET /v1/whoami': apiError(401, 'unknown key') });
    renderConsole('/', api.fetch, null);
    expect(screen.getByLabelText('API key')).toHaveAttribute('type', 'password');
    await userEvent.type(screen.getByLabelText('API key'), 'rt_bad');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The key was not accepted');
    expect(sessionStorage.getItem('runtrail.apiKey')).toBeNull();
  });

  it('returns to the link that asked for sign-in', async () => {
    const api = fakeApi({ 'GET /v1/whoami': json(whoami()), 'GET /v1/action-runs': json([]) });
    renderConsole('/runs?status=failed', api.fetch, null);
    await userEvent.type(await screen.findByLabelText('API key'), 'rt_good');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Runs' })).toBeInTheDocument();
    expect(screen.getByTestId('location')).toHaveTextContent('/runs?status=failed');
  });
});
