import type { PrincipalType, Scope } from '@runtrail/contracts';

/** What is stored about a key. The secret itself never is, only its hash. */
export interface ApiKeyRecord {
  id: string;
  tenantId: string;
  name: string;
  principalType: PrincipalType;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
  /**
   * Set when the key was rotated: it keeps working until then (the overlap period), and
   * is refused from then on. Absent on keys never rotated.
   */
  expiresAt?: string | null;
  /** The key that replaced this one by rotation. */
  replacedBy?: string | null;
  /** The key this one replaced by rotation. */
  replaces?: string | null;
}

/** Whether the key is refused at `now`: revoked, or past the end of its rotation overlap. */
export function isKeyInactive(record: ApiKeyRecord, now = Date.now()): boolean {
  return record.revokedAt !== null || (record.expiresAt != null && Date.parse(record.expiresAt) <= now);
}
