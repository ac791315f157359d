import { DEFAULT_INSTALLATION, INSTALLATION_PATTERN } from '@runtrail/integrity';
import { DatabaseConfig, IntSetting } from '@runtrail/platform';
import { Expose } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { SIGNING_KEY_FORMS, isSigningKey } from '../../integrity/signing-key';
import { FRAME_ANCESTORS_PATTERN } from './csp-source-list';
import { TARGET_ALLOW_FORM, isTargetAllowList } from '../../streams/targets/target-allow-list';

export class QueryConfig extends DatabaseConfig {
  @IntSetting('QUERY_PORT', 0, 65535)
  QUERY_PORT = 8081;

  /**
   * A Postgres streaming replica of DATABASE_URL's database that the audit, run and
   * integrity reads go to (docs/scaling.md). Unset: they go to DATABASE_URL. Migrations,
   * the checkpoint signer's writes and the reads an erasure makes stay on DATABASE_URL.
   */
  @Expose()
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_READ_URL must be a postgres:// URL' })
  DATABASE_READ_URL?: string;

  /** How long a re-trigger command may wait for its runner before it expires. */
  @IntSetting('COMMAND_TTL_SECONDS', 1, 7 * 24 * 3600)
  COMMAND_TTL_SECONDS = 3600;

  /**
   * How long after its runner's last heartbeat (or last report on it) a command the runner
   * took and did not finish is failed. Above the agent's 10 s heartbeat with room for
   * missed beats: a query restart or a short network cut does not fail a running command.
   */
  @IntSetting('COMMAND_LEASE_SECONDS', 15, 24 * 3600)
  COMMAND_LEASE_SECONDS = 60;

  /** How often each replica looks for due schedules (docs/api.md#schedules). */
  @IntSetting('SCHEDULE_TICK_SECONDS', 1, 3600)
  SCHEDULE_TICK_SECONDS = 5;

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

  /**
   * The console's built files (`index.html`, `assets/`). Unset: `dist/console` beside the
   * built query service, where `npm run build` puts them.
   */
  @Expose()
  @IsOptional()
  @IsString()
  @MaxLength(4096, { message: 'CONSOLE_DIR must be a path of at most 4096 characters' })
  CONSOLE_DIR?: string;

  /**
   * Who may show the console's `/embed` page in a frame: the CSP `frame-ancestors` source
   * list (`*`, `'self'`, `https://app.example.com`, …, or `'none'`). Every other console
   * page may never be framed.
   */
  @Expose()
  @Matches(FRAME_ANCESTORS_PATTERN, {
    message: "EMBED_FRAME_ANCESTORS must be a CSP source list: 'none', or sources such as *, 'self', https:, https://app.example.com separated by single spaces",
  })
  EMBED_FRAME_ANCESTORS = '*';

  /**
   * The operator's Ed25519 key that signs every tenant log's checkpoints (docs/api.md#integrity-log).
   * Unset: one is generated on first start and kept in NATS (`<ns>-integrity`). A secret: it is
   * never logged, and a bad value is refused without quoting it.
   */
  @Expose()
  @IsOptional()
  @ValidateBy({ name: 'isSigningKey', validator: { validate: isSigningKey } }, { message: `RUNTRAIL_SIGNING_KEY must be ${SIGNING_KEY_FORMS}` })
  RUNTRAIL_SIGNING_KEY?: string;

  /** Names this installation in every log's origin, `runtrail/<installation>/<tenantId>`. */
  @Expose()
  @Matches(INSTALLATION_PATTERN, { message: `RUNTRAIL_INSTALLATION must match ${INSTALLATION_PATTERN.source}` })
  RUNTRAIL_INSTALLATION = DEFAULT_INSTALLATION;

  /** How often each replica signs a checkpoint of every tenant log that grew. */
  @IntSetting('CHECKPOINT_INTERVAL_SECONDS', 1, 86400)
  CHECKPOINT_INTERVAL_SECONDS = 60;

  /**
   * The hosts streams may deliver to (docs/streams.md#targets): comma-separated host names
   * (`siem.example.com`, `.example.com` for every name under it) and CIDR ranges
   * (`10.0.0.0/8`, `::1/128`). Unset: any host, since SIEMs usually sit on private networks.
   */
  @Expose()
  @IsOptional()
  @ValidateBy({ name: 'isTargetAllowList', validator: { validate: isTargetAllowList } }, { message: `STREAM_TARGET_ALLOW must be ${TARGET_ALLOW_FORM}` })
  STREAM_TARGET_ALLOW?: string;

  /** The longest wait between two attempts of a stream's failing delivery (a receiver's Retry-After may ask for up to 4 times this). */
  @IntSetting('STREAM_MAX_BACKOFF_SECONDS', 1, 3600)
  STREAM_MAX_BACKOFF_SECONDS = 30;

  /** How long a stream fails before it shows `state: "error"`. */
  @IntSetting('STREAM_ERROR_AFTER_SECONDS', 1, 7 * 24 * 3600)
  STREAM_ERROR_AFTER_SECONDS = 60;

  /** How long one delivery (an HTTP request, a syslog write) may take before it counts as failed. */
  @IntSetting('STREAM_TIMEOUT_SECONDS', 1, 300)
  STREAM_TIMEOUT_SECONDS = 10;

  /** How often retention removes what each tenant's policy lets go (docs/retention.md); the first round runs at start. */
  @IntSetting('RETENTION_INTERVAL_SECONDS', 1, 31 * 86400)
  RETENTION_INTERVAL_SECONDS = 86400;
}
