import { Injectable } from '@nestjs/common';
import type { AuthContext } from '@runtrail/auth';
import type { PrincipalType, Scope } from '@runtrail/contracts';
import { TimelineRecorder } from '../../../shared/timeline/timeline-recorder';
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
  constructor(
    private readonly keys: TenantKeys,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute({ auth, tenantId, name, principalType, scopes }: CreateApiKeyCommand): Promise<CreatedApiKeyView> {
    assertMayCreateIn(auth, tenantId);
    assertMayGrant(auth, scopes);
    const { key, record } = await this.keys.issue({ tenantId, name, principalType, scopes });
    await this.timeline.record(auth, {
      tenantId: record.tenantId,
      action: 'Create',
      entityType: 'ApiKey',
      entityId: record.id,
      entityName: record.name,
      context: { scopes: record.scopes.join(','), principal_type: record.principalType },
    });
    return { ...toView(record), key };
  }
}
