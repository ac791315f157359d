import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { PrincipalType, Scope } from '@runtrail/contracts';
import { toView, type CreatedApiKeyView } from '../../api-key-views';
import { assertMayCreateIn, assertMayGrant } from '../../key-rules';
import { TenantKeys } from '../../tenant-keys';

export interface CreateApiKeyCommand {
  auth: AuthContext;
  tenantId: string;
  name: string;
  principalType: PrincipalType;
  scopes: Scope[];
}

/** Creates a key; the key itself is in this answer only. */
@Injectable()
export class CreateApiKey {
  constructor(private readonly keys: TenantKeys) {}

  async execute({ auth, tenantId, name, principalType, scopes }: CreateApiKeyCommand): Promise<CreatedApiKeyView> {
    assertMayCreateIn(auth, tenantId);
    assertMayGrant(auth, scopes);
    const { key, record } = await this.keys.issue(auth, { tenantId, name, principalType, scopes });
    return { ...toView(record), key };
  }
}
