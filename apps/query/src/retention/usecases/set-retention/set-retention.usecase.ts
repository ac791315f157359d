import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { Clock } from '@runtrail/platform';
import { requestedTenant } from '../../../shared/tenancy/requested-tenant';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
import type { SetRetentionDto } from '../../retention.dto';
import type { RetentionViewDto } from '../../retention-views';
import { RetentionStore, defaultPolicy, type RetentionPolicy } from '../../retention-store';
import { GetRetention } from '../get-retention/get-retention.usecase';

export interface SetRetentionCommand {
  auth: AuthContext;
  body: SetRetentionDto;
}

/**
 * `PUT /v1/retention`: sets the tenant's policy (a field left out keeps its value). The change
 * is a timeline entry; the next round (or `POST /v1/retention/apply`) acts on it.
 */
@Injectable()
export class SetRetention {
  constructor(
    private readonly store: RetentionStore,
    private readonly current: GetRetention,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, body }: SetRetentionCommand): Promise<RetentionViewDto> {
    const tenantId = requestedTenant(auth, body.tenantId, { name: 'tenantId', otherTenant: 'a tenant admin may only set the retention of its own tenant' });
    const before = (await this.store.get(tenantId)) ?? defaultPolicy(tenantId);
    const policy: RetentionPolicy = {
      tenantId,
      days: body.days ?? before.days,
      legalHold: body.legalHold ?? before.legalHold,
      updatedAt: this.clock.iso(),
      updatedBy: auth.principal,
    };
    await this.store.save(policy);
    await this.timeline.record(auth, {
      tenantId,
      action: 'Update',
      entityType: 'Retention',
      entityId: tenantId,
      entityName: 'retention',
      at: policy.updatedAt,
      context: { days: String(policy.days), legalHold: String(policy.legalHold), daysBefore: String(before.days), legalHoldBefore: String(before.legalHold) },
    });
    return this.current.view(tenantId, policy);
  }
}
