import type { AuthContext } from '@runtrail/auth';
import { ForbiddenError } from '@runtrail/platform';
import { requestedTenant } from '../shared/tenancy/requested-tenant';
import { DEFAULT_VIEWER_TTL_SECONDS } from './create-viewer-token.dto';

/**
 * Who may hand out which viewer tokens (docs/api.md#post-v1-viewer-tokens). A token
 * reads a tenant's timeline: the root key names the tenant, a tenant admin gets its own.
 */
export function viewerTenant(auth: AuthContext, requested: string | undefined): string {
  return requestedTenant(auth, requested, { name: 'tenantId', otherTenant: 'a tenant admin may only create viewer tokens for its own tenant' });
}

/**
 * A token grants `audit:read`: like a key's scopes, only a caller holding it may grant it
 * (an admin key without `audit:read` cannot read the timeline through a token either).
 */
export function assertMayGrantViewer(auth: AuthContext): void {
  if (auth.tenantId !== null && !auth.scopes.includes('audit:read')) {
    throw new ForbiddenError('cannot grant scopes the calling key does not hold: audit:read');
  }
}

/**
 * When the token stops: after `ttlSeconds`, and never after the key that creates it (a
 * rotated key's overlap end), since it is refused from then on anyway.
 */
export function viewerExpiry(now: number, ttlSeconds = DEFAULT_VIEWER_TTL_SECONDS, creatorExpiresAt?: string | null): string {
  const end = now + ttlSeconds * 1000;
  const creatorEnd = creatorExpiresAt ? Date.parse(creatorExpiresAt) : Infinity;
  return new Date(Math.min(end, creatorEnd)).toISOString();
}

/** The console's embed page for the token, on the origin browsers reach this service at. */
export function embedUrl(origin: string, token: string): string {
  return `${origin.replace(/\/$/, '')}/embed?token=${encodeURIComponent(token)}`;
}
