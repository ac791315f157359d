import type { AuthContext } from '@runtrail/auth';
import { requestedTenant } from '../shared/tenancy/requested-tenant';

/**
 * Whose log a read is about (docs/api.md#integrity-log): a tenant key's own; the root key,
 * which spans every tenant, names one with `tenant=`. The answer binds every read that
 * follows, so row-level security holds the root key to that one tenant too.
 */
export function logTenant(auth: AuthContext, requested: string | undefined): string {
  return requestedTenant(auth, requested, { name: 'tenant', otherTenant: "a tenant key may only read its own tenant's log" });
}

/** The caller narrowed to that tenant, for the lists: their cursors are bound to it. */
export function logReader(auth: AuthContext, requested: string | undefined): AuthContext {
  return { ...auth, tenantId: logTenant(auth, requested) };
}

/** Every integrity read is about one tenant's log (see logTenant): a null tenant would read every log. */
export function definedTenant(tenantId: string | null): string {
  if (tenantId === null) throw new Error('an integrity log read needs its tenant');
  return tenantId;
}
