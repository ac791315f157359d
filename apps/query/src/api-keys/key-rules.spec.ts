import { ConflictError, ForbiddenError, ManualClock } from '@runtrail/platform';
import { ROOT_AUTH, apiKeyRecord, tenantAuth } from '../../test/fixtures';
import { assertMayCreateIn, assertMayGrant, assertRotatable, isVisibleTo, overlapEnd, replacementOf } from './key-rules';

describe('key scope rules', () => {
  const admin = tenantAuth('acme', ['admin', 'audit:read']);

  it('lets a tenant admin create keys in its own tenant only; the root key in any', () => {
    expect(() => assertMayCreateIn(admin, 'acme')).not.toThrow();
    expect(() => assertMayCreateIn(admin, 'globex')).toThrow(new ForbiddenError('a tenant admin may only create keys in its own tenant'));
    expect(() => assertMayCreateIn(ROOT_AUTH, 'globex')).not.toThrow();
  });

  it('lets a tenant admin grant only the scopes it holds, naming the others', () => {
    expect(() => assertMayGrant(admin, ['audit:read', 'admin'])).not.toThrow();
    expect(() => assertMayGrant(admin, ['audit:read', 'events:write', 'runs:retrigger'])).toThrow(
      new ForbiddenError('cannot grant scopes the calling key does not hold: events:write, runs:retrigger'),
    );
    expect(() => assertMayGrant({ ...ROOT_AUTH, scopes: [] }, ['admin'])).not.toThrow();
  });

  it("shows a tenant admin its tenant's keys only; the root key every key", () => {
    expect(isVisibleTo(admin, apiKeyRecord({ tenantId: 'acme' }))).toBe(true);
    expect(isVisibleTo(admin, apiKeyRecord({ tenantId: 'globex' }))).toBe(false);
    expect(isVisibleTo(ROOT_AUTH, apiKeyRecord({ tenantId: 'globex' }))).toBe(true);
  });
});

describe('rotation rules', () => {
  const clock = new ManualClock(Date.parse('2026-03-01T10:00:00.000Z'));

  it('rotates a working key once', () => {
    expect(() => assertRotatable('K', apiKeyRecord(), clock.now())).not.toThrow();
    expect(() => assertRotatable('K', apiKeyRecord({ replacedBy: 'k2' }), clock.now())).toThrow(new ConflictError('API key K was already replaced by k2'));
  });

  it('refuses a revoked key, and one past the end of its overlap', () => {
    expect(() => assertRotatable('K', apiKeyRecord({ revokedAt: '2026-02-01T00:00:00.000Z' }), clock.now())).toThrow(new ConflictError('API key K is revoked or expired'));
    const expiring = apiKeyRecord({ expiresAt: '2026-03-01T10:00:01.000Z' });
    expect(() => assertRotatable('K', expiring, clock.now())).not.toThrow();
    clock.advance(1000);
    expect(() => assertRotatable('K', expiring, clock.now())).toThrow(ConflictError);
  });

  it('keeps the tenant, name, principal and scopes in the replacement', () => {
    const old = apiKeyRecord({ scopes: ['audit:read'], principalType: 'User' });
    expect(replacementOf(old)).toEqual({ tenantId: 'acme', name: 'ci', principalType: 'User', scopes: ['audit:read'], replaces: old.id });
  });

  it('ends the overlap a day later by default, or after the seconds asked for', () => {
    const now = Date.parse('2026-03-01T10:00:00.000Z');
    expect(overlapEnd(now)).toBe('2026-03-02T10:00:00.000Z');
    expect(overlapEnd(now, 0)).toBe('2026-03-01T10:00:00.000Z');
    expect(overlapEnd(now, 90)).toBe('2026-03-01T10:01:30.000Z');
  });
});
