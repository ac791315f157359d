import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { Clock } from '@runtrail/platform';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
import { toView, type CreatedApiKeyView } from '../../api-key-views';
import { assertMayGrant, assertRotatable, overlapEnd, replacementOf } from '../../key-rules';
import { TenantKeys } from '../../tenant-keys';

export interface RotateApiKeyCommand {
  auth: AuthContext;
  keyId: string;
  /** How long the old key keeps working; by default one day. */
  overlapSeconds?: number;
}

/**
 * Replaces a key by a new one with the same tenant, name, principal and scopes. The
 * old key keeps working for the overlap period, so clients can switch without a gap,
 * and is refused from then on.
 */
@Injectable()
export class RotateApiKey {
  constructor(
    private readonly keys: TenantKeys,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, keyId, overlapSeconds }: RotateApiKeyCommand): Promise<CreatedApiKeyView> {
    const old = await this.keys.find(auth, keyId);
    assertMayGrant(auth, old.record.scopes);
    assertRotatable(keyId, old.record, this.clock.now());
    const { key, record } = await this.keys.issue(auth, replacementOf(old.record));
    const expiresAt = overlapEnd(this.clock.now(), overlapSeconds);
    await this.keys.update(old, { expiresAt, replacedBy: record.id });
    await this.timeline.record(auth, {
      tenantId: record.tenantId,
      action: 'Update',
      entityType: 'ApiKey',
      entityId: old.record.id,
      entityName: old.record.name,
      context: { replaced_by: record.id, expires_at: expiresAt },
    });
    return { ...toView(record), key };
  }
}
