import { Expose, Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { DatabaseConfig } from '@runtrail/platform';

export class ProjectorConfig extends DatabaseConfig {
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'PROJECTOR_PORT must be an integer' })
  @Min(0, { message: 'PROJECTOR_PORT must be between 0 and 65535' })
  @Max(65535, { message: 'PROJECTOR_PORT must be between 0 and 65535' })
  PROJECTOR_PORT = 8082;

  /** Stream messages per Postgres transaction (each message holds up to 1000 events). */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'PROJECTOR_BATCH_SIZE must be an integer' })
  @Min(1, { message: 'PROJECTOR_BATCH_SIZE must be between 1 and 1000' })
  @Max(1000, { message: 'PROJECTOR_BATCH_SIZE must be between 1 and 1000' })
  PROJECTOR_BATCH_SIZE = 64;

  /**
   * How long a fetched batch may stay unacknowledged before JetStream redelivers it
   * (after a crash, the batch in hand comes back this much later). Must exceed the
   * time one batch takes to commit.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'PROJECTOR_ACK_WAIT_SECONDS must be an integer' })
  @Min(2, { message: 'PROJECTOR_ACK_WAIT_SECONDS must be between 2 and 3600' })
  @Max(3600, { message: 'PROJECTOR_ACK_WAIT_SECONDS must be between 2 and 3600' })
  PROJECTOR_ACK_WAIT_SECONDS = 30;
}
