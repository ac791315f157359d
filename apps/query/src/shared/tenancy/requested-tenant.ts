import type { AuthContext } from '@runtrail/auth';
import { ForbiddenError, InvalidInputError } from '@runtrail/platform';

/** How a route names the tenant it acts on, and what it tells a tenant key that names another. */
export interface TenantParameter {
  /** `tenantId` in a body, `tenant` in a query. */
  name: string;
  /** The 403's message. */
  otherTenant: string;
}

/**
 * The one tenant a request is about: the root key spans every tenant and must name one; a
 * tenant key may name only its own (or none).
 */
export function requestedTenant(auth: AuthContext, requested: string | undefined, parameter: TenantParameter): string {
  if (auth.tenantId === null) {
    if (requested === undefined) throw new InvalidInputError([`${parameter.name} is required with the root key, which spans every tenant`]);
    return requested;
  }
  if (requested !== undefined && requested !== auth.tenantId) throw new ForbiddenError(parameter.otherTenant);
  return auth.tenantId;
}
