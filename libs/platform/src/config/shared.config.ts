import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const NATS_URL_LIST = /^(nats|tls|ws|wss):\/\/[^\s,]+(,(nats|tls|ws|wss):\/\/[^\s,]+)*$/;

/** Settings every service shares (CONTRACT §1). */
export class SharedConfig {
  @Expose()
  @Matches(NATS_URL_LIST, { message: 'NATS_URL must be one or more nats:// URLs, comma separated' })
  NATS_URL = 'nats://127.0.0.1:4222';

  @Expose()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'RUNTRAIL_NAMESPACE must be 1 to 64 letters, digits, _ or -' })
  RUNTRAIL_NAMESPACE = 'runtrail';

  @Expose()
  @IsOptional()
  @MinLength(32, { message: 'RUNTRAIL_ADMIN_KEY must be at least 32 characters' })
  @MaxLength(256, { message: 'RUNTRAIL_ADMIN_KEY must be at most 256 characters' })
  // It travels as `Authorization: Bearer <key>`, where white space cannot appear.
  @Matches(/^\S+$/, { message: 'RUNTRAIL_ADMIN_KEY must not contain white space' })
  RUNTRAIL_ADMIN_KEY?: string;

  @Expose()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /** How long the stream keeps events; 0 (the default) keeps them forever. */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'STREAM_MAX_AGE_SECONDS must be an integer' })
  @Min(0, { message: 'STREAM_MAX_AGE_SECONDS must be 0 (forever) or more' })
  STREAM_MAX_AGE_SECONDS = 0;

  /**
   * JetStream recognises a repeated message id for this long. It only absorbs quick
   * client retries; lasting idempotency comes from the unique key in Postgres.
   */
  @Expose()
  @Type(() => Number)
  @IsInt({ message: 'STREAM_DUPLICATE_WINDOW_SECONDS must be an integer' })
  @Min(1, { message: 'STREAM_DUPLICATE_WINDOW_SECONDS must be between 1 and 86400' })
  @Max(86400, { message: 'STREAM_DUPLICATE_WINDOW_SECONDS must be between 1 and 86400' })
  STREAM_DUPLICATE_WINDOW_SECONDS = 120;

  @Expose()
  @Type(() => Number)
  @IsIn([1, 3, 5], { message: 'STREAM_REPLICAS must be 1, 3 or 5' })
  STREAM_REPLICAS = 1;

  get natsServers(): string[] {
    return this.NATS_URL.split(',').map((s) => s.trim());
  }
}

/** For services that use Postgres. */
export class DatabaseConfig extends SharedConfig {
  @Expose()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/runtrail';
}
