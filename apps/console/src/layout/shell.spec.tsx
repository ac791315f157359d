import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Scope } from '../api/types';
import { fakeApi, json, renderConsole, whoami } from '../test/fake-api';

const navNames = () =>
  within(screen.getByRole('navigation', { name: 'Main' }))
    .getAllByRole('link')
    .map((a) => a.textContent);

function signedInWith(scopes: Scope[], extra: Parameters<typeof whoami>[0] = {}) {
  return fakeApi({
    'GET /v1/whoami': json(whoami({ scopes, ...extra })),
    'GET /v1/audit': json([]),
    'GET /v1/runners': json([]),
    'GET /v1/api-keys': json([]),
  });
}

describe('navigation by scope', () => {
  it('shows an auditor the four reading views, and the tenant and key name', async () => {
    renderConsole('/timeline', signedInWith(['audit:read']).fetch);
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(navNames()).toEqual(['Timeline', 'Runs', 'Deployments', 'Insights']);
    expect(screen.getByText('acme')).toBeInTheDocument();
    expect(screen.getByText('auditor')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();
  });

  it('adds Runners for runners:manage, and Keys, Streams and Retention for admin', async () => {
    renderConsole('/timeline', signedInWith(['audit:read', 'runners:manage', 'admin']).fetch);
    await screen.findByRole('navigation', { name: 'Main' });
    expect(navNames()).toEqual(['Timeline', 'Runs', 'Deployments', 'Insights', 'Runners', 'Keys', 'Streams', 'Retention']);
  });

  it('sends a key with admin only from / to Keys, the first of the views it has', async () => {
    renderConsole('/', signedInWith(['admin']).fetch);
    expect(await screen.findByRole('heading', { level: 1, name: 'Keys' })).toBeInTheDocument();
    expect(navNames()).toEqual(['Keys', 'Streams', 'Retention']);
    expect(screen.getByTestId('location')).toHaveTextContent('/keys');
  });

  it('tells a key without the scope of a view so, and asks nothing of the API', async () => {
    const api = signedInWith(['audit:read']);
    renderConsole('/keys', api.fetch);
    expect(await screen.findByText('This key does not have the scope admin, which this view needs.')).toBeInTheDocument();
    expect(api.calls('GET', '/v1/api-keys')).toHaveLength(0);
  });

  it('shows the root key as all tenants', async () => {
    renderConsole('/timeline', signedInWith(['audit:read', 'admin'], { kind: 'root', name: 'root', tenantId: null }).fetch);
    expect(await screen.findByText('all tenants (root key)')).toBeInTheDocument();
  });

  it('signs out: the key leaves session storage and sign-in shows', async () => {
    renderConsole('/timeline', signedInWith(['audit:read']).fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Runtrail' })).toBeInTheDocument();
    expect(sessionStorage.getItem('runtrail.apiKey')).toBeNull();
  });
});
