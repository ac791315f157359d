import type { AuthContext } from '@runtrail/auth';
import { NotFoundError } from '@runtrail/platform';
import type { StreamDefinition } from './stream-store';

/** Another tenant's stream (or a deleted one, or no id at all) is not found, named as the caller wrote it. */
export function visibleStream(auth: AuthContext, requestedId: string, found: StreamDefinition | undefined): StreamDefinition {
  if (!found || (auth.tenantId !== null && found.tenantId !== auth.tenantId)) throw new NotFoundError(`stream ${requestedId} not found`);
  return found;
}
