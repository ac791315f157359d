import { DatabaseConfig, IntSetting } from '@runtrail/platform';
import { Expose } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';

export class QueryConfig extends DatabaseConfig {
  @IntSetting('QUERY_PORT', 0, 65535)
  QUERY_PORT = 8081;

  /** How long a re-trigger command may wait for its runner before it expires. */
  @IntSetting('COMMAND_TTL_SECONDS', 1, 7 * 24 * 3600)
  COMMAND_TTL_SECONDS = 3600;

  /**
   * The origin browsers reach this service at (`https://runtrail.example.com`), for the
   * links it hands out (a viewer token's `url`). Unset: the request's own protocol and
   * Host, which is wrong behind a proxy that ends TLS.
   */
  @Expose()
  @IsOptional()
  @Matches(/^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/, {
    message: 'PUBLIC_URL must be an http:// or https:// origin (scheme, host and optional port, no path)',
  })
  PUBLIC_URL?: string;
}
