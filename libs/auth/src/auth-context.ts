import type { Principal, Scope } from '@runtrail/contracts';

/** Who is calling, resolved from the API key. */
export interface AuthContext {
  keyId: string;
  /** The key's tenant; null for the root key, which spans every tenant. */
  tenantId: string | null;
  principal: Principal;
  scopes: readonly Scope[];
  /** Set when the caller is a runner agent (authenticated by its runner token). */
  runnerId?: string;
  /**
   * When the credential stops working by itself: the end of a rotated key's overlap.
   * Absent or null: only a revocation ends it.
   */
  expiresAt?: string | null;
  /**
   * Set when the caller is a viewer token: it reads the audit timeline of its tenant
   * only (routes marked @AllowViewer), and only the entries of `sourceId` when that is set.
   */
  viewer?: ViewerRestriction;
}

export interface ViewerRestriction {
  /** Only entries whose `sourceId` equals this; null: every entry of the tenant. */
  sourceId: string | null;
}

export const ROOT_PRINCIPAL: Principal = { type: 'Application', id: 'root', name: 'root' };

export function isRoot(ctx: AuthContext): boolean {
  return ctx.tenantId === null;
}
