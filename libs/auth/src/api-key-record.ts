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
}
