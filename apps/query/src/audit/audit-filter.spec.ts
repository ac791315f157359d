import type { AuthContext } from '@runtrail/auth';
import { ROOT_AUTH, tenantAuth } from '../../test/fixtures';
import { toAuditFilter } from './audit-filter';
import type { AuditQueryDto } from './audit-query.dto';

describe('toAuditFilter', () => {
  const viewer = (sourceId: string | null): AuthContext => ({
    keyId: 'v1',
    tenantId: 'acme',
    principal: { type: 'Application', id: 'v1', name: 'viewer' },
    scopes: ['audit:read'],
    viewer: { sourceId },
  });
  const query = (q: Partial<AuditQueryDto>) => q as AuditQueryDto;

  it("adds a viewer token's source as its own condition, beside any source_id asked for", () => {
    expect(toAuditFilter(query({}), viewer('user-7'))).toMatchObject({ sourceId: undefined, onlySourceId: 'user-7' });
    // a widening source_id is kept as a second condition: both must hold, so it finds nothing of another source
    expect(toAuditFilter(query({ source_id: 'user-8' }), viewer('user-7'))).toMatchObject({ sourceId: 'user-8', onlySourceId: 'user-7' });
  });

  it('restricts nothing for a viewer token of the whole tenant, nor for keys', () => {
    expect(toAuditFilter(query({ source_id: 'user-8' }), viewer(null)).onlySourceId).toBeUndefined();
    expect(toAuditFilter(query({}), tenantAuth('acme')).onlySourceId).toBeUndefined();
    expect(toAuditFilter(query({}), ROOT_AUTH).onlySourceId).toBeUndefined();
  });
});
