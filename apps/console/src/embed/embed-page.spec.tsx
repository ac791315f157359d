import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { apiError, fakeApi, json, renderConsole, whoami } from '../test/fake-api';

describe('embed', () => {
  it('shows the timeline alone with the link token as the bearer, storing nothing', async () => {
    const api = fakeApi({
      'GET /v1/whoami': json(whoami({ kind: 'viewer', name: 'viewer', sourceId: 'user-7', expiresAt: '2026-11-30T12:00:00.000Z' })),
      'GET /v1/audit': json([]),
    });
    renderConsole('/embed?token=rtv_abc', api.fetch, null);
    expect(await screen.findByRole('table', { name: 'Audit timeline' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Audit log' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Next page' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeInTheDocument();
    await waitFor(() => expect(api.calls('GET', '/v1/audit')[0]?.authorization).toBe('Bearer rtv_abc'));
    expect(sessionStorage.length).toBe(0);
    expect(localStorage.length).toBe(0);
  });

  it('says an expired, revoked or forged link is not valid, and shows no data', async () => {
    const api = fakeApi({ 'GET /v1/whoami': apiError(401, 'unknown token') });
    renderConsole('/embed?token=rtv_forged', api.fetch, null);
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has expired or is not valid.');
    expect(screen.queryByRole('table')).toBeNull();
    expect(api.calls('GET', '/v1/audit')).toHaveLength(0);
  });

  it('does the same without a token, asking nothing', async () => {
    const api = fakeApi({});
    renderConsole('/embed', api.fetch, null);
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has expired or is not valid.');
    expect(api.requests).toHaveLength(0);
  });

  it('does not use a signed-in key for an embed link', async () => {
    const api = fakeApi({ 'GET /v1/whoami': apiError(401, 'unknown token') });
    renderConsole('/embed?token=rtv_x', api.fetch, 'rt_signed_in');
    await screen.findByRole('alert');
    expect(api.requests.map((r) => r.authorization)).toEqual(['Bearer rtv_x']);
    expect(sessionStorage.getItem('runtrail.apiKey')).toBe('rt_signed_in');
  });
});
