import { isKeyInactive, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import type { Scope } from '@runtrail/contracts';
import { ConflictError, ForbiddenError } from '@runtrail/platform';
import { DEFAULT_OVERLAP_SECONDS } from './rotate-api-key.dto';

/**
 * Who may do what with keys. The root key (tenantId null) acts in every tenant; a
 * tenant admin only in its own, and grants only scopes it holds itself.
 */

/** Another tenant's key is answered like a missing one. */
export function isVisibleTo(auth: AuthContext, record: ApiKeyRecord): boolean {
  return auth.tenantId === null || record.tenantId === auth.tenantId;
}

export function assertMayCreateIn(auth: AuthContext, tenantId: string): void {
  if (auth.tenantId !== null && tenantId !== auth.tenantId) throw new ForbiddenError('a tenant admin may only create keys in its own tenant');
}

/** By creation or by rotation alike. */
export function assertMayGrant(auth: AuthContext, scopes: readonly Scope[]): void {
  if (auth.tenantId === null) return;
  const beyond = scopes.filter((s) => !auth.scopes.includes(s));
  if (beyond.length) throw new ForbiddenError(`cannot grant scopes the calling key does not hold: ${beyond.join(', ')}`);
}

/**
 * A key is rotated once, while it works: its replacement is rotated next, and a revoked
 * or expired key has nothing to hand over (409). `requestedId` is the id as written.
 */
export function assertRotatable(requestedId: string, record: ApiKeyRecord, now: number): void {
  if (record.replacedBy) throw new ConflictError(`API key ${requestedId} was already replaced by ${record.replacedBy}`);
  if (isKeyInactive(record, now)) throw new ConflictError(`API key ${requestedId} is revoked or expired`);
}

/** The replacement keeps the tenant, name, principal and scopes. */
export function replacementOf({ id, tenantId, name, principalType, scopes }: ApiKeyRecord): Pick<ApiKeyRecord, 'tenantId' | 'name' | 'principalType' | 'scopes' | 'replaces'> {
  return { tenantId, name, principalType, scopes, replaces: id };
}

/** When a rotated key stops working: after the overlap, so clients can switch without a gap. */
export function overlapEnd(now: number, overlapSeconds = DEFAULT_OVERLAP_SECONDS): string {
  return new Date(now + overlapSeconds * 1000).toISOString();
}
