import { Injectable } from '@nestjs/common';
import { KeyStore, generateApiKey, hashApiKey, isKeyInactive, newKeyId, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import type { Scope } from '@runtrail/contracts';
import { ConflictError, ForbiddenError, NotFoundError } from '@runtrail/platform';
import { inMemorySource } from '../shared/paging/in-memory-source';
import { KeysetPages } from '../shared/paging/keyset-pages';
import type { Page } from '../shared/paging/page';
import type { Paging } from '../shared/paging/paging-params.dto';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import { toView, type ApiKeyView, type CreatedApiKeyView } from './api-key-views';
import type { CreateApiKeyDto } from './create-api-key.dto';
import { DEFAULT_OVERLAP_SECONDS, type RotateApiKeyDto } from './rotate-api-key.dto';

/** Key management. A tenant admin acts in its own tenant and grants only scopes it holds. */
@Injectable()
export class ApiKeysUseCases {
  constructor(
    private readonly store: KeyStore,
    private readonly pages: KeysetPages,
    private readonly timeline: TimelineRecorder,
  ) {}

  async create(auth: AuthContext, dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    if (auth.tenantId !== null && dto.tenantId !== auth.tenantId) {
      throw new ForbiddenError('a tenant admin may only create keys in its own tenant');
    }
    assertMayGrant(auth, dto.scopes);
    const { key, record } = await this.issue({ tenantId: dto.tenantId, name: dto.name, principalType: dto.principalType, scopes: dto.scopes });
    await this.timeline.record(auth, { tenantId: record.tenantId, action: 'Create', entityType: 'ApiKey', entityId: record.id, entityName: record.name, context: { scopes: record.scopes.join(','), principal_type: record.principalType } });
    return { ...toView(record), key };
  }

  /**
   * Replaces a key by a new one with the same tenant, name, principal and scopes. The
   * old key keeps working for the overlap period, so clients can switch without a gap,
   * and is refused from then on. A key is rotated once: its replacement is rotated next.
   */
  async rotate(auth: AuthContext, id: string, dto: RotateApiKeyDto): Promise<CreatedApiKeyView> {
    const old = await this.findInTenant(auth, id);
    assertMayGrant(auth, old.record.scopes);
    if (old.record.replacedBy) throw new ConflictError(`API key ${id} was already replaced by ${old.record.replacedBy}`);
    if (isKeyInactive(old.record)) throw new ConflictError(`API key ${id} is revoked or expired`);
    const { key, record } = await this.issue({ ...pickIdentity(old.record), replaces: old.record.id });
    const expiresAt = new Date(Date.now() + (dto.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS) * 1000).toISOString();
    await this.store.save(old.hash, { ...old.record, expiresAt, replacedBy: record.id });
    await this.timeline.record(auth, { tenantId: record.tenantId, action: 'Create', entityType: 'ApiKey', entityId: record.id, entityName: record.name, context: { scopes: record.scopes.join(','), principal_type: record.principalType, replaces: old.record.id } });
    await this.timeline.record(auth, { tenantId: record.tenantId, action: 'Update', entityType: 'ApiKey', entityId: old.record.id, entityName: old.record.name, context: { replaced_by: record.id, expires_at: expiresAt } });
    return { ...toView(record), key };
  }

  private async issue(fields: Pick<ApiKeyRecord, 'tenantId' | 'name' | 'principalType' | 'scopes'> & { replaces?: string }) {
    const key = generateApiKey();
    const record: ApiKeyRecord = { id: newKeyId(), ...fields, createdAt: new Date().toISOString(), revokedAt: null };
    await this.store.save(hashApiKey(key), record);
    return { key, record };
  }

  /** A key of the caller's tenant; another tenant's key answers 404 like a missing one. */
  private async findInTenant(auth: AuthContext, id: string): Promise<{ hash: string; record: ApiKeyRecord }> {
    const found = await this.store.findById(id);
    if (!found || (auth.tenantId !== null && found.record.tenantId !== auth.tenantId)) {
      throw new NotFoundError(`API key ${id} not found`);
    }
    return found;
  }

  /** Newest first; paged like every list. */
  list(auth: AuthContext, paging: Paging): Promise<Page<ApiKeyView>> {
    return this.pages.page(this.source, auth, {}, paging);
  }

  private readonly source = inMemorySource<ApiKeyView>(
    'api-keys',
    async (tenantId) => {
      const [records, used] = await Promise.all([this.store.list(), this.store.lastUsed()]);
      return records.filter((r) => tenantId === null || r.tenantId === tenantId).map((r) => toView(r, used.get(r.id) ?? null));
    },
    (k) => ({ t: k.createdAt, i: k.id }),
  );

  /** Revokes a key of the caller's tenant; another tenant's key answers 404 like a missing one. */
  async revoke(auth: AuthContext, id: string): Promise<void> {
    const found = await this.findInTenant(auth, id);
    if (found.record.revokedAt) return;
    await this.store.save(found.hash, { ...found.record, revokedAt: new Date().toISOString() });
    await this.timeline.record(auth, { tenantId: found.record.tenantId, action: 'Delete', entityType: 'ApiKey', entityId: found.record.id, entityName: found.record.name });
  }
}

/** A tenant admin grants only scopes it holds itself, by creation or by rotation. */
function assertMayGrant(auth: AuthContext, scopes: readonly Scope[]): void {
  if (auth.tenantId === null) return;
  const beyond = scopes.filter((s) => !auth.scopes.includes(s));
  if (beyond.length) throw new ForbiddenError(`cannot grant scopes the calling key does not hold: ${beyond.join(', ')}`);
}

function pickIdentity({ tenantId, name, principalType, scopes }: ApiKeyRecord) {
  return { tenantId, name, principalType, scopes };
}
