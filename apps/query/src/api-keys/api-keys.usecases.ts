import { Injectable } from '@nestjs/common';
import { KeyStore, generateApiKey, hashApiKey, newKeyId, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import { ForbiddenError, NotFoundError } from '@runtrail/platform';
import { inMemorySource } from '../paging/in-memory-source';
import { KeysetPages, type Page } from '../paging/keyset-pages';
import type { Paging } from '../paging/paging-params.dto';
import { parseBody } from '../paging/parse-query';
import { TimelineRecorder } from '../timeline/timeline-recorder';
import { toView, type ApiKeyView, type CreatedApiKeyView } from './api-key-views';
import { CreateApiKeyDto } from './create-api-key.dto';

/** Key management. A tenant admin acts in its own tenant and grants only scopes it holds. */
@Injectable()
export class ApiKeysUseCases {
  constructor(
    private readonly store: KeyStore,
    private readonly pages: KeysetPages,
    private readonly timeline: TimelineRecorder,
  ) {}

  async create(auth: AuthContext, body: unknown): Promise<CreatedApiKeyView> {
    const dto = parseBody(CreateApiKeyDto, body);
    if (auth.tenantId !== null) {
      if (dto.tenantId !== auth.tenantId) throw new ForbiddenError('a tenant admin may only create keys in its own tenant');
      const beyond = dto.scopes.filter((s) => !auth.scopes.includes(s));
      if (beyond.length) throw new ForbiddenError(`cannot grant scopes the calling key does not hold: ${beyond.join(', ')}`);
    }
    const key = generateApiKey();
    const record: ApiKeyRecord = {
      id: newKeyId(),
      tenantId: dto.tenantId,
      name: dto.name,
      principalType: dto.principalType,
      scopes: dto.scopes,
      createdAt: new Date().toISOString(),
      revokedAt: null,
    };
    await this.store.save(hashApiKey(key), record);
    await this.timeline.record(auth, { tenantId: record.tenantId, action: 'Create', entityType: 'ApiKey', entityId: record.id, entityName: record.name, context: { scopes: record.scopes.join(','), principal_type: record.principalType } });
    return { ...toView(record), key };
  }

  /** Newest first; paged like every list. */
  list(auth: AuthContext, paging: Paging): Promise<Page<ApiKeyView>> {
    return this.pages.page(this.source, auth, {}, paging);
  }

  private readonly source = inMemorySource<ApiKeyView>(
    'api-keys',
    async (tenantId) =>
      (await this.store.list()).filter((r) => tenantId === null || r.tenantId === tenantId).map(toView),
    (k) => ({ t: k.createdAt, i: k.id }),
  );

  /** Revokes a key of the caller's tenant; another tenant's key answers 404 like a missing one. */
  async revoke(auth: AuthContext, id: string): Promise<void> {
    const found = await this.store.findById(id);
    if (!found || (auth.tenantId !== null && found.record.tenantId !== auth.tenantId)) {
      throw new NotFoundError(`API key ${id} not found`);
    }
    if (found.record.revokedAt) return;
    await this.store.save(found.hash, { ...found.record, revokedAt: new Date().toISOString() });
    await this.timeline.record(auth, { tenantId: found.record.tenantId, action: 'Delete', entityType: 'ApiKey', entityId: found.record.id, entityName: found.record.name });
  }
}
