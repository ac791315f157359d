import { ForbiddenError, InvalidInputError } from '@runtrail/platform';
import { ROOT_AUTH, tenantAuth } from '../../test/fixtures';
import { logReader, logTenant } from './log-tenant';

describe('logTenant', () => {
  it("gives a tenant key its own log, named or not", () => {
    expect(logTenant(tenantAuth('acme'), undefined)).toBe('acme');
    expect(logTenant(tenantAuth('acme'), 'acme')).toBe('acme');
  });

  it("refuses a tenant key another tenant's log", () => {
    expect(() => logTenant(tenantAuth('acme'), 'globex')).toThrow(new ForbiddenError("a tenant key may only read its own tenant's log"));
  });

  it('makes the root key name the tenant', () => {
    expect(logTenant(ROOT_AUTH, 'globex')).toBe('globex');
    expect(() => logTenant(ROOT_AUTH, undefined)).toThrow(InvalidInputError);
    expect(() => logTenant(ROOT_AUTH, undefined)).toThrow('tenant is required with the root key, which spans every tenant');
  });

  it('narrows the root key to the named tenant for lists, so their cursors are bound to it', () => {
    expect(logReader(ROOT_AUTH, 'globex')).toEqual({ ...ROOT_AUTH, tenantId: 'globex' });
  });
});
