import { DatabaseConfig, IntSetting } from '@runtrail/platform';
import { Expose } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';

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

  /**
   * The durable consumer, and the key of its checkpoint row; `<namespace>-projector` when
   * unset. A projector building a second database from the same stream (a rebuild, a
   * replica of the tables elsewhere) takes its own, so the two never share deliveries.
   */
  @Expose()
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'PROJECTOR_CONSUMER must be 1 to 64 letters, digits, _ or -' })
  PROJECTOR_CONSUMER?: string;
}
