import { ROOT_AUTH, tenantAuth } from '../../../../test/fixtures';
import { GetWhoami } from './get-whoami.usecase';

describe('GetWhoami', () => {
  const whoami = new GetWhoami();

  it('describes the root key: no tenant, every scope, no expiry', () => {
    expect(whoami.execute({ auth: ROOT_AUTH })).toEqual({
      kind: 'root',
      keyId: 'root',
      name: 'root',
      tenantId: null,
      principalType: 'Application',
      scopes: ['events:write', 'audit:read', 'runs:retrigger', 'runners:manage', 'admin'],
      expiresAt: null,
      sourceId: null,
    });
  });

  it("describes a tenant key by its id, name, principal and scopes, with a rotated key's expiry", () => {
    const auth = { ...tenantAuth('acme', ['audit:read', 'admin']), principal: { type: 'User' as const, id: 'key-of-acme', name: 'alice' } };
    expect(whoami.execute({ auth })).toEqual({
      kind: 'key',
      keyId: 'key-of-acme',
      name: 'alice',
      tenantId: 'acme',
      principalType: 'User',
      scopes: ['audit:read', 'admin'],
      expiresAt: null,
      sourceId: null,
    });
    expect(whoami.execute({ auth: { ...auth, expiresAt: '2026-03-02T10:00:00.000Z' } }).expiresAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('describes a viewer token: its id, its tenant, audit:read only, its expiry and its source', () => {
    const auth = {
      keyId: 'v1',
      tenantId: 'acme',
      principal: { type: 'Application' as const, id: 'v1', name: 'viewer' },
      scopes: ['audit:read' as const],
      expiresAt: '2026-03-01T10:15:00.000Z',
      viewer: { sourceId: 'user-7' },
    };
    expect(whoami.execute({ auth })).toEqual({
      kind: 'viewer',
      keyId: 'v1',
      name: 'viewer',
      tenantId: 'acme',
      principalType: 'Application',
      scopes: ['audit:read'],
      expiresAt: '2026-03-01T10:15:00.000Z',
      sourceId: 'user-7',
    });
  });
});
