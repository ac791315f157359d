import { ApiProperty } from '@nestjs/swagger';
import { PRINCIPAL_TYPES, SCOPES, type PrincipalType, type Scope } from '@runtrail/contracts';

export const CALLER_KINDS = ['root', 'key', 'viewer'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

/** Who the caller is, as the console needs it to show only what the scopes allow (`GET /v1/whoami`). */
export class WhoamiView {
  @ApiProperty({ enum: CALLER_KINDS, description: 'root: the root key; key: an API key; viewer: a viewer token' })
  kind!: CallerKind;

  @ApiProperty({ example: '8d7c1c5e-7a8e-4f57-9b8a-1d0b3f0d6a11', description: "The key's id, `root`, or the viewer token's id" })
  keyId!: string;

  @ApiProperty({ example: 'gitlab-ci', description: "The key's name; `root` for the root key, `viewer` for a viewer token" })
  name!: string;

  @ApiProperty({ nullable: true, type: String, example: 'acme', description: 'null only for the root key, which spans every tenant' })
  tenantId!: string | null;

  @ApiProperty({ enum: PRINCIPAL_TYPES })
  principalType!: PrincipalType;

  @ApiProperty({ enum: SCOPES, isArray: true, description: 'A viewer token has exactly ["audit:read"]' })
  scopes!: Scope[];

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When the credential stops working by itself (a rotated key, a viewer token); null: never' })
  expiresAt!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'The only source a viewer token shows; null: every source' })
  sourceId!: string | null;
}
