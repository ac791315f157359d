import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { EXPIRED_NOTICE } from '../auth/auth-context';
import { apiError, fakeApi, json, renderConsole, whoami } from '../test/fake-api';

describe('API errors in the views', () => {
  it('401 anywhere: the key is forgotten and sign-in says why', async () => {
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/audit': apiError(401, 'API key revoked'),
    });
    renderConsole('/timeline?q=action%3ADelete', api.fetch);
    expect(await screen.findByRole('heading', { name: 'Sign in to Runtrail' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(EXPIRED_NOTICE);
    expect(EXPIRED_NOTICE).toBe('Your key was not accepted or has expired. Sign in again.');
    expect(sessionStorage.getItem('runtrail.apiKey')).toBeNull();
  });

  it('401 from whoami on a stored key: the same', async () => {
    const api = fakeApi({ 'GET /v1/whoami': apiError(401, 'unknown key') });
    renderConsole('/runs', api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent(EXPIRED_NOTICE);
    expect(sessionStorage.getItem('runtrail.apiKey')).toBeNull();
  });

  it('429: says to retry after Retry-After, and Retry asks again', async () => {
    let calls = 0;
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/audit': () => (++calls === 1 ? apiError(429, 'rate limit of the key exceeded', { 'Retry-After': '7' }) : json([])),
    });
    renderConsole('/timeline', api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many requests for this key right now. Retry in 7 seconds.');
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No entries match.')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('503: says the service is unavailable and to retry', async () => {
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/action-runs': apiError(503, 'Postgres is unavailable', { 'Retry-After': '5' }),
    });
    renderConsole('/runs', api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('The service is unavailable for a moment. Retry in 5 seconds.');
  });

  it("other errors: the API's message", async () => {
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/action-runs': apiError(400, ['exit_code must be a 32-bit integer']),
    });
    renderConsole('/runs?exit_code=x', api.fetch);
    expect(await screen.findByRole('alert')).toHaveTextContent('exit_code must be a 32-bit integer');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('shows Loading… while a request runs', async () => {
    let answer: (r: Response) => void = () => undefined;
    const api = fakeApi({
      'GET /v1/whoami': json(whoami()),
      'GET /v1/deployments': () => new Promise<Response>((resolve) => (answer = resolve)),
    });
    renderConsole('/deployments', api.fetch);
    await screen.findByRole('heading', { level: 1, name: 'Deployments' });
    await waitFor(() => expect(api.calls('GET', '/v1/deployments')).toHaveLength(1));
    expect(screen.getByRole('status')).toHaveTextContent('Loading…');
    answer(json([]));
    expect(await screen.findByText('No deployments match.')).toBeInTheDocument();
    expect(screen.queryByRole('status')).toBeNull();
  });
});
