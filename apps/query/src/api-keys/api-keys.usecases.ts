import { Injectable } from '@nestjs/common';
import { KeyStore, generateApiKey, hashApiKey, newKeyId, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import { ForbiddenError, InvalidInputError, NotFoundError } from '@runtrail/platform';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import type { Page } from '../paging/keyset-pages';
import { CursorCodec } from '../paging/cursor-codec';
import { fingerprint } from '../paging/page';
import type { Paging } from '../paging/paging-params.dto';
import { toView, type ApiKeyView, type CreatedApiKeyView } from './api-key-views';
import { CreateApiKeyDto } from './create-api-key.dto';

/** Key management. A tenant admin acts in its own tenant and grants only scopes it holds. */
@Injectable()
export class ApiKeysUseCases {
  constructor(
    private readonly store: KeyStore,
    private readonly cursors: CursorCodec,
  ) {}

  async create(auth: AuthContext, body: unknown): Promise<CreatedApiKeyView> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new InvalidInputError('body must be a JSON object');
    }
    const dto = plainToInstance(CreateApiKeyDto, body);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      throw new InvalidInputError(
        errors.flatMap((e) =>
          Object.entries(e.constraints ?? {}).map(([n, m]) =>
            n === 'whitelistValidation' ? `${e.property} is not a known field` : m,
          ),
        ),
      );
    }
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
    return { ...toView(record), key };
  }

  /** Newest first; paged like every list (keys are few, so the page is cut in memory). */
  async list(auth: AuthContext, paging: Paging): Promise<Page<ApiKeyView>> {
    const fp = fingerprint(auth.tenantId, { list: 'api-keys' });
    const after = paging.cursor === undefined ? undefined : this.cursors.decode(paging.cursor, fp);
    const records = (await this.store.list())
      .filter((r) => auth.tenantId === null || r.tenantId === auth.tenantId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .filter((r) => !after || r.createdAt < after.t || (r.createdAt === after.t && r.id < after.i));
    const items = records.slice(paging.offset, paging.offset + paging.limit).map(toView);
    const more = records.length > paging.offset + paging.limit;
    const last = items[items.length - 1];
    return { items, nextCursor: more ? this.cursors.encode({ t: last.createdAt, i: last.id }, fp) : undefined };
  }

  /** Revokes a key of the caller's tenant; another tenant's key answers 404 like a missing one. */
  async revoke(auth: AuthContext, id: string): Promise<void> {
    const found = await this.store.findById(id);
    if (!found || (auth.tenantId !== null && found.record.tenantId !== auth.tenantId)) {
      throw new NotFoundError(`API key ${id} not found`);
    }
    if (found.record.revokedAt) return;
    await this.store.save(found.hash, { ...found.record, revokedAt: new Date().toISOString() });
  }
}
