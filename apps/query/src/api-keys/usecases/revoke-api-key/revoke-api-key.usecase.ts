import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import { Clock } from '@runtrail/platform';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
import { TenantKeys } from '../../tenant-keys';

export interface RevokeApiKeyCommand {
  auth: AuthContext;
  keyId: string;
}

/** Revokes a key of the caller's tenant; every service refuses it within moments. Revoking twice changes nothing. */
@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly keys: TenantKeys,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
  ) {}

  async execute({ auth, keyId }: RevokeApiKeyCommand): Promise<void> {
    const found = await this.keys.find(auth, keyId);
    if (found.record.revokedAt) return;
    await this.keys.update(found, { revokedAt: this.clock.iso() });
    await this.timeline.record(auth, { tenantId: found.record.tenantId, action: 'Delete', entityType: 'ApiKey', entityId: found.record.id, entityName: found.record.name });
  }
}
