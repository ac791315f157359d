import { Injectable } from '@nestjs/common';
import { KeyStore, generateApiKey, hashApiKey, newKeyId, type ApiKeyRecord, type AuthContext } from '@runtrail/auth';
import { ForbiddenError, InvalidInputError, NotFoundError } from '@runtrail/platform';
import { validateSync } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { toView, type ApiKeyView, type CreatedApiKeyView } from './api-key-views';
import { CreateApiKeyDto } from './create-api-key.dto';

/** Key management. A tenant admin acts in its own tenant and grants only scopes it holds. */
@Injectable()
export class ApiKeysUseCases {
  constructor(private readonly store: KeyStore) {}

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

  async list(auth: AuthContext): Promise<ApiKeyView[]> {
    const records = await this.store.list();
    return records
      .filter((r) => auth.tenantId === null || r.tenantId === auth.tenantId)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map(toView);
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
