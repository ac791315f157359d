import { IntSetting, SharedConfig } from '@runtrail/platform';

export class IngestConfig extends SharedConfig {
  @IntSetting('INGEST_PORT', 0, 65535)
  INGEST_PORT = 8080;
}
