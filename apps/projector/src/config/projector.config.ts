import { DatabaseConfig, IntSetting } from '@runtrail/platform';

export class ProjectorConfig extends DatabaseConfig {
  @IntSetting('PROJECTOR_PORT', 0, 65535)
  PROJECTOR_PORT = 8082;

  /** Stream messages per Postgres transaction (each message holds up to 1000 events). */
  @IntSetting('PROJECTOR_BATCH_SIZE', 1, 1000)
  PROJECTOR_BATCH_SIZE = 64;

  /**
   * How long a fetched batch may stay unacknowledged before JetStream redelivers it
   * (after a crash, the batch in hand comes back this much later). Must exceed the
   * time one batch takes to commit.
   */
  @IntSetting('PROJECTOR_ACK_WAIT_SECONDS', 2, 3600)
  PROJECTOR_ACK_WAIT_SECONDS = 30;
}
