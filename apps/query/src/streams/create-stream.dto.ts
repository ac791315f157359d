import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STREAM_KINDS, STREAM_STARTS, TENANT_ID_PATTERN, type StreamKind, type StreamStart } from '@runtrail/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PRINTABLE_NAME_PATTERN } from '../shared/validation/printable-name';
import { MAX_STREAM_URL_LENGTH } from './targets/stream-url';

/** The longest secret kept: HEC tokens are UUIDs, webhook secrets a few dozen characters. */
export const MAX_STREAM_SECRET_LENGTH = 512;

/** The body of `POST /v1/streams`; the URL, secret and filter are checked by the use case against the kind. */
export class CreateStreamDto {
  @ApiProperty({ example: 'siem', description: '1 to 128 printable characters' })
  @Matches(PRINTABLE_NAME_PATTERN, { message: 'name must be 1 to 128 printable characters' })
  name!: string;

  @ApiProperty({ enum: STREAM_KINDS })
  @IsIn(STREAM_KINDS, { message: `kind must be one of ${STREAM_KINDS.join(', ')}` })
  kind!: StreamKind;

  @ApiProperty({ example: 'https://siem.example.com/runtrail', description: 'http(s):// for webhook, splunk-hec and slack; syslog://host:port or syslog+tls://host:port for syslog' })
  @IsString({ message: 'url must be a string' })
  @MaxLength(MAX_STREAM_URL_LENGTH, { message: `url must be at most ${MAX_STREAM_URL_LENGTH} characters` })
  url!: string;

  @ApiPropertyOptional({ description: 'webhook: the HMAC key (16 characters or more, required); splunk-hec: the HEC token (required); never shown again' })
  @IsOptional()
  @IsString({ message: 'secret must be a string' })
  @MinLength(1, { message: 'secret must not be empty' })
  @MaxLength(MAX_STREAM_SECRET_LENGTH, { message: `secret must be at most ${MAX_STREAM_SECRET_LENGTH} characters` })
  secret?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { entity_type: 'ActionRun', success: 'false' }, description: 'The filters of GET /v1/audit, by the same names' })
  @IsOptional()
  filter?: unknown;

  @ApiPropertyOptional({ enum: STREAM_STARTS, default: 'now' })
  @IsOptional()
  @IsIn(STREAM_STARTS, { message: 'from must be now or beginning' })
  from?: StreamStart;

  @ApiPropertyOptional({ description: 'The tenant, required with the root key (which spans every tenant); a tenant key may name only its own' })
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, { message: `tenantId must match ${TENANT_ID_PATTERN.source}` })
  tenantId?: string;
}
