import type { AuthContext } from '@runtrail/auth';
import { ForbiddenError, InvalidInputError } from '@runtrail/platform';

/**
 * The tenant an admin act is for: the root key spans every tenant and must name one; a
 * tenant key may name only its own. `act` completes "a tenant admin may only … for its own tenant".
 */
export function requestedTenant(auth: AuthContext, requested: string | undefined, act: string): string {
  if (auth.tenantId === null) {
    if (requested === undefined) throw new InvalidInputError(['tenantId is required with the root key, which spans every tenant']);
    return requested;
  }
  if (requested !== undefined && requested !== auth.tenantId) throw new ForbiddenError(`a tenant admin may only ${act} for its own tenant`);
  return auth.tenantId;
}
