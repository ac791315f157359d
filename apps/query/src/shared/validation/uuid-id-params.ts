import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Any 8-4-4-4-12 hex string: ids are matched, not checked for a UUID version. */
const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A path `{id}` that must be a UUID, in any case. It is kept as sent: "not found"
 * messages repeat the id the caller wrote, lookups use it in lower case.
 */
export class UuidIdParams {
  @ApiProperty({ format: 'uuid' })
  @Matches(UUID_PATTERN, { message: 'id must be a UUID' })
  id!: string;
}
