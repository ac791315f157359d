import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { ApiKey } from '../api/types';
import { fakeApi, json, renderConsole, whoami } from '../test/fake-api';

const KEY: ApiKey = {
  id: 'aaaaaaaa-0000-4000-8000-000000000001',
  tenantId: 'acme',
  name: 'ci',
  principalType: 'Application',
  scopes: ['events:write'],
  createdAt: '2026-11-30T10:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  expiresAt: null,
  replacedBy: null,
  replaces: null,
};

function keysApi(admin = whoami({ scopes: ['audit:read', 'admin'] })) {
  return fakeApi({
    'GET /v1/whoami': json(admin),
    'GET /v1/api-keys': json([KEY]),
    'POST /v1/api-keys': json({ ...KEY, id: 'n', name: 'reader', key: 'rt_new_secret' }, { status: 201 }),
    'POST /v1/api-keys/*/rotate': json({ ...KEY, id: 'r', key: 'rt_rotated_secret' }, { status: 201 }),
    'DELETE /v1/api-keys/*': new Response(null, { status: 204 }),
  });
}

describe('keys', () => {
  it('creates a key with the scopes the admin holds, in its tenant, and shows it once', async () => {
    const api = keysApi();
    renderConsole('/keys', api.fetch);
    await screen.findByRole('table', { name: 'API keys' });
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(screen.queryByRole('textbox', { name: 'Tenant' })).toBeNull();
    expect(screen.queryByRole('checkbox', { name: 'runners:manage' })).toBeNull();
    await userEvent.type(screen.getByRole('textbox', { name: 'Name' }), 'reader');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Principal type' }), 'User');
    await userEvent.click(screen.getByRole('checkbox', { name: 'audit:read' }));
    await userEvent.click(screen.getByRole('button', { name: 'Create' }));
    expect(await screen.findByRole('textbox', { name: 'New key' })).toHaveValue('rt_new_secret');
    expect(JSON.parse(await (api.calls('POST', '/v1/api-keys')[0]?.body ?? ''))).toEqual({
      tenantId: 'acme',
      name: 'reader',
      principalType: 'User',
      scopes: ['audit:read'],
    });
  });

  it('asks the root key for the tenant and offers every scope', async () => {
    renderConsole('/keys', keysApi(whoami({ kind: 'root', name: 'root', tenantId: null, scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'] })).fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Create key' }));
    expect(screen.getByRole('textbox', { name: 'Tenant' })).toBeRequired();
    expect(screen.getAllByRole('checkbox')).toHaveLength(5);
  });

  it('rotates after confirmation and shows the new secret; revokes after confirmation', async () => {
    const api = keysApi();
    renderConsole('/keys', api.fetch);
    await userEvent.click(await screen.findByRole('button', { name: 'Rotate ci' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm rotate' }));
    expect(await screen.findByRole('textbox', { name: 'New key' })).toHaveValue('rt_rotated_secret');
    await userEvent.click(await screen.findByRole('button', { name: 'Revoke ci' }));
    await userEvent.click(screen.getByRole('button', { name: 'Confirm revoke' }));
    await waitFor(() => expect(api.calls('DELETE', `/v1/api-keys/${KEY.id}`)).toHaveLength(1));
  });
});
