import { DatabaseConfig, IntSetting } from '@runtrail/platform';

export class QueryConfig extends DatabaseConfig {
  @IntSetting('QUERY_PORT', 0, 65535)
  QUERY_PORT = 8081;

  /** How long a re-trigger command may wait for its runner before it expires. */
  @IntSetting('COMMAND_TTL_SECONDS', 1, 7 * 24 * 3600)
  COMMAND_TTL_SECONDS = 3600;
}
