import { ApiPropertyOptional } from '@nestjs/swagger';
import { TENANT_ID_PATTERN } from '@runtrail/contracts';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PRINTABLE_SOURCE_ID_PATTERN } from '../shared/validation/printable-name';

export const DEFAULT_VIEWER_TTL_SECONDS = 900;
export const MAX_VIEWER_TTL_SECONDS = 86_400;

const TTL_MESSAGE = `ttlSeconds must be an integer from 1 to ${MAX_VIEWER_TTL_SECONDS}`;

export class CreateViewerTokenDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_VIEWER_TTL_SECONDS, default: DEFAULT_VIEWER_TTL_SECONDS, description: 'How long the token works' })
  @IsOptional()
  @IsInt({ message: TTL_MESSAGE })
  @Min(1, { message: TTL_MESSAGE })
  @Max(MAX_VIEWER_TTL_SECONDS, { message: TTL_MESSAGE })
  ttlSeconds?: number;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, example: 'user-7', description: 'Show only the entries whose sourceId equals this' })
  @IsOptional()
  @IsString()
  @Matches(PRINTABLE_SOURCE_ID_PATTERN, { message: 'sourceId must be 1 to 200 printable characters' })
  sourceId?: string;

  @ApiPropertyOptional({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description: "The tenant whose timeline the token shows: required with the root key; a tenant key may give only its own",
  })
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId must match ${TENANT_ID_PATTERN.source}` })
  tenantId?: string;
}
