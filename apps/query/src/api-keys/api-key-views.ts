import { ApiProperty } from '@nestjs/swagger';
import type { ApiKeyRecord } from '@runtrail/auth';
import { PRINCIPAL_TYPES, SCOPES, type PrincipalType, type Scope } from '@runtrail/contracts';

/** A key as listed: never the secret. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PRINCIPAL_TYPES }) principalType!: PrincipalType;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Last accepted use by any service, to the minute; null if never used' })
  lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Set by rotation: the key is refused from then on' })
  expiresAt!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The key that replaced this one by rotation' })
  replacedBy!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The key this one replaced by rotation' })
  replaces!: string | null;
}

/** The answer to a key creation: the only time the key itself is shown. */
export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ example: 'rt_…', description: 'Shown once; only its hash is stored' }) key!: string;
}

export function toView(r: ApiKeyRecord, lastUsedAt: string | null = null): ApiKeyView {
  return {
    id: r.id,
    tenantId: r.tenantId,
    name: r.name,
    principalType: r.principalType,
    scopes: r.scopes,
    createdAt: r.createdAt,
    revokedAt: r.revokedAt,
    lastUsedAt,
    expiresAt: r.expiresAt ?? null,
    replacedBy: r.replacedBy ?? null,
    replaces: r.replaces ?? null,
  };
}
