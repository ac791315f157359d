import { DatabaseConfig, IntSetting } from '@runtrail/platform';

export class QueryConfig extends DatabaseConfig {
  @IntSetting('QUERY_PORT', 0, 65535)
  QUERY_PORT = 8081;
}
