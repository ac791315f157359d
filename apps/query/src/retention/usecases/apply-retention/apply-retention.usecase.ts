import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { requestedTenant } from '../../../shared/tenancy/requested-tenant';
import type { RetentionAppliedDto } from '../../retention-views';
import { RetentionRemover } from '../../retention-remover';

export interface ApplyRetentionCommand {
  auth: AuthContext;
  tenantId?: string;
}

/** `POST /v1/retention/apply`: the tenant's removal, now rather than at the next round. */
@Injectable()
export class ApplyRetention {
  constructor(private readonly remover: RetentionRemover) {}

  async execute({ auth, tenantId: requested }: ApplyRetentionCommand): Promise<RetentionAppliedDto> {
    const tenantId = requestedTenant(auth, requested, { name: 'tenantId', otherTenant: 'a tenant admin may only apply the retention of its own tenant' });
    const [outcome] = (await this.remover.remove({ tenantId, actor: auth })).filter((o) => o.tenantId === tenantId);
    return { removed: outcome?.removed ?? 0, upTo: outcome?.upTo ?? null };
  }
}
