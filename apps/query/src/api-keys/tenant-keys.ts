import { Injectable } from '@nestjs/common';
import { KeyStore, generateApiKey, hashApiKey, newKeyId, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import { Clock, NotFoundError } from '@runtrail/platform';
import { TimelineRecorder } from '../shared/timeline/timeline-recorder';
import { isVisibleTo } from './key-rules';

export interface StoredKey {
  hash: string;
  record: ApiKeyRecord;
}

/** The key store as the caller sees it: only its tenant's keys (every tenant's for the root key). */
@Injectable()
export class TenantKeys {
  constructor(
    private readonly store: KeyStore,
    private readonly timeline: TimelineRecorder,
    private readonly clock: Clock,
  ) {}

  /** Another tenant's key answers 404 like a missing one. */
  async find(auth: AuthContext, id: string): Promise<StoredKey> {
    const found = await this.store.findById(id);
    if (!found || !isVisibleTo(auth, found.record)) throw new NotFoundError(`API key ${id} not found`);
    return found;
  }

  /** A new key, entered in its tenant's timeline; only its hash is stored, the key itself is returned once. */
  async issue(auth: AuthContext, fields: Pick<ApiKeyRecord, 'tenantId' | 'name' | 'principalType' | 'scopes' | 'replaces'>): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = generateApiKey();
    const record: ApiKeyRecord = { id: newKeyId(), ...fields, createdAt: this.clock.iso(), revokedAt: null };
    await this.store.save(hashApiKey(key), record);
    await this.timeline.record(auth, {
      tenantId: record.tenantId,
      action: 'Create',
      entityType: 'ApiKey',
      entityId: record.id,
      entityName: record.name,
      context: { scopes: record.scopes.join(','), principal_type: record.principalType, ...(record.replaces ? { replaces: record.replaces } : {}) },
    });
    return { key, record };
  }

  async update(key: StoredKey, changes: Partial<ApiKeyRecord>): Promise<void> {
    await this.store.save(key.hash, { ...key.record, ...changes });
  }
}
