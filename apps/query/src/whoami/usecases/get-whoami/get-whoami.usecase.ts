import { Injectable } from '@nestjs/common';
import { isRoot, type AuthContext } from '@runtrail/auth';
import type { WhoamiView } from '../../whoami-view';

/** Describes the caller the guard resolved: the console signs in with it and hides what the scopes do not allow. */
@Injectable()
export class GetWhoami {
  execute({ auth }: { auth: AuthContext }): WhoamiView {
    return {
      kind: isRoot(auth) ? 'root' : auth.viewer ? 'viewer' : 'key',
      keyId: auth.keyId,
      name: auth.principal.name,
      tenantId: auth.tenantId,
      principalType: auth.principal.type,
      scopes: [...auth.scopes],
      expiresAt: auth.expiresAt ?? null,
      sourceId: auth.viewer?.sourceId ?? null,
    };
  }
}
