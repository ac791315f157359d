import { ForbiddenError, InvalidInputError } from '@runtrail/platform';
import { ROOT_AUTH, tenantAuth } from '../../test/fixtures';
import { assertMayGrantViewer, embedUrl, viewerExpiry, viewerTenant } from './viewer-token-rules';

describe('viewer token rules', () => {
  const admin = tenantAuth('acme', ['admin', 'audit:read']);

  it("gives a tenant admin its own tenant, named or not, and refuses another's", () => {
    expect(viewerTenant(admin, undefined)).toBe('acme');
    expect(viewerTenant(admin, 'acme')).toBe('acme');
    expect(() => viewerTenant(admin, 'globex')).toThrow(new ForbiddenError('a tenant admin may only create viewer tokens for its own tenant'));
  });

  it('makes the root key name the tenant', () => {
    expect(viewerTenant(ROOT_AUTH, 'globex')).toBe('globex');
    expect(() => viewerTenant(ROOT_AUTH, undefined)).toThrow(InvalidInputError);
    expect(() => viewerTenant(ROOT_AUTH, undefined)).toThrow('tenantId is required with the root key, which spans every tenant');
  });

  it('lets only a caller that reads the timeline hand out a token that reads it', () => {
    expect(() => assertMayGrantViewer(admin)).not.toThrow();
    expect(() => assertMayGrantViewer(ROOT_AUTH)).not.toThrow();
    expect(() => assertMayGrantViewer(tenantAuth('acme', ['admin']))).toThrow(new ForbiddenError('cannot grant scopes the calling key does not hold: audit:read'));
  });

  it('ends a token after its ttl (15 minutes by default), and never after the key that creates it', () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    expect(viewerExpiry(now)).toBe('2026-03-01T10:15:00.000Z');
    expect(viewerExpiry(now, 86_400)).toBe('2026-03-02T10:00:00.000Z');
    expect(viewerExpiry(now, 3600, null)).toBe('2026-03-01T11:00:00.000Z');
    expect(viewerExpiry(now, 3600, '2026-03-01T10:30:00.000Z')).toBe('2026-03-01T10:30:00.000Z');
  });

  it('links to the embed page on the given origin', () => {
    expect(embedUrl('https://runtrail.example.com', 'rtv_abc')).toBe('https://runtrail.example.com/embed?token=rtv_abc');
    expect(embedUrl('http://127.0.0.1:8081/', 'rtv_abc')).toBe('http://127.0.0.1:8081/embed?token=rtv_abc');
  });
});
