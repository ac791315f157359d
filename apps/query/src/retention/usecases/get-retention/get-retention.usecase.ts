import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { TenantReader, logRemoval } from '@runtrail/persistence';
import { requestedTenant } from '../../../shared/tenancy/requested-tenant';
import type { RetentionViewDto } from '../../retention-views';
import { RetentionStore, defaultPolicy, type RetentionPolicy } from '../../retention-store';

export interface GetRetentionQuery {
  auth: AuthContext;
  tenantId?: string;
}

/** `GET /v1/retention`: the tenant's policy (keep everything, where none was set) and how far it has removed the log. */
@Injectable()
export class GetRetention {
  constructor(
    private readonly store: RetentionStore,
    private readonly reader: TenantReader,
  ) {}

  async execute({ auth, tenantId: requested }: GetRetentionQuery): Promise<RetentionViewDto> {
    const tenantId = requestedTenant(auth, requested, { name: 'tenantId', otherTenant: 'a tenant admin may only read the retention of its own tenant' });
    return this.view(tenantId);
  }

  /** `policy`: the one just saved, so it is not read back. */
  async view(tenantId: string, policy?: RetentionPolicy): Promise<RetentionViewDto> {
    const [stored, [removal]] = await Promise.all([policy ?? this.store.get(tenantId), this.reader.read(tenantId, logRemoval(tenantId))]);
    const { days, legalHold, updatedAt } = stored ?? defaultPolicy(tenantId);
    return {
      tenantId,
      days,
      legalHold,
      updatedAt,
      removed: removal ? { upToIndex: removal.upToIndex, upTo: removal.receivedBefore, at: removal.removedAt } : null,
    };
  }
}
