import { applyDecorators } from '@nestjs/common';
import { Expose, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

const NATS_URL_LIST = /^(nats|tls|ws|wss):\/\/[^\s,]+(,(nats|tls|ws|wss):\/\/[^\s,]+)*$/;

/** An integer setting read from the environment, with its bounds named in the error. */
export function IntSetting(name: string, min: number, max: number, what = `between ${min} and ${max}`): PropertyDecorator {
  const message = `${name} must be an integer ${what}`;
  return applyDecorators(Expose(), Type(() => Number), IsInt({ message }), Min(min, { message }), Max(max, { message }));
}

/** Settings every service shares (README.md#configuration). */
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
  @IntSetting('STREAM_MAX_AGE_SECONDS', 0, 2 ** 31, 'of seconds, 0 for forever')
  STREAM_MAX_AGE_SECONDS = 0;

  /**
   * JetStream recognises a repeated message id for this long. It only absorbs quick
   * client retries; lasting idempotency comes from the unique key in Postgres.
   */
  @IntSetting('STREAM_DUPLICATE_WINDOW_SECONDS', 1, 86400)
  STREAM_DUPLICATE_WINDOW_SECONDS = 120;

  @Expose()
  @Type(() => Number)
  @IsIn([1, 3, 5], { message: 'STREAM_REPLICAS must be 1, 3 or 5' })
  STREAM_REPLICAS = 1;

  /**
   * `1` lets a service make a new, empty event stream for a namespace that has run before
   * but lost its stream; by default it refuses to start (docs/reliability.md, stream deleted).
   */
  @IntSetting('RUNTRAIL_CREATE_MISSING_STREAM', 0, 1, '0 or 1')
  RUNTRAIL_CREATE_MISSING_STREAM = 0;

  /*
   * Request rate limits of the HTTP APIs (ingest and query), per key and per tenant, as
   * token buckets: a sustained rate per second and a burst (ADR 0008). A rate of 0
   * switches that limit off. The defaults leave room for batches of 1000 events at full
   * speed (the benchmark sends about 40 requests a second) and stop a runaway loop.
   */
  @IntSetting('RATE_LIMIT_KEY_PER_SECOND', 0, 1_000_000, 'between 0 (off) and 1000000')
  RATE_LIMIT_KEY_PER_SECOND = 100;

  @IntSetting('RATE_LIMIT_KEY_BURST', 1, 1_000_000)
  RATE_LIMIT_KEY_BURST = 200;

  @IntSetting('RATE_LIMIT_TENANT_PER_SECOND', 0, 1_000_000, 'between 0 (off) and 1000000')
  RATE_LIMIT_TENANT_PER_SECOND = 200;

  @IntSetting('RATE_LIMIT_TENANT_BURST', 1, 1_000_000)
  RATE_LIMIT_TENANT_BURST = 400;

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
