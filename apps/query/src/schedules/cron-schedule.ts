import { CronPatternError, MAX_CRON_LENGTH, isTimeZone, nextFireAfter, parseCronPattern, type CronPattern } from '@runtrail/cron';
import { InvalidInputError } from '@runtrail/platform';


const FIVE_FIELDS = 'cron must be five fields (minute hour day-of-month month day-of-week), e.g. "0 3 * * 1"';

/**
 * A five-field cron expression in an IANA time zone (docs/api.md#schedules), validated with
 * the messages the API answers. When it fires is `@runtrail/cron`'s rule, the one the
 * console's preview also uses: a wall time the clocks skip fires at the end of the gap, a
 * repeated one at its first occurrence.
 */
export class CronSchedule {
  private constructor(
    private readonly pattern: CronPattern,
    readonly timezone: string,
  ) {}

  /** Validates both; InvalidInputError with a message naming the field otherwise. */
  static parse(cron: string, timezone: string): CronSchedule {
    if (!isTimeZone(timezone)) throw new InvalidInputError(`timezone must be an IANA time zone name such as Europe/Berlin, or UTC`);
    if (cron.length > MAX_CRON_LENGTH) throw new InvalidInputError(`cron must be at most ${MAX_CRON_LENGTH} characters`);
    const fields = cron.trim().split(/\s+/).filter(Boolean).length;
    // Croner's own message for a wrong count offers six or seven fields, which its five-field mode then refuses.
    if (fields !== 5 && !cron.trim().startsWith('@')) throw new InvalidInputError(`${FIVE_FIELDS}, not ${fields}`);
    try {
      return new CronSchedule(parseCronPattern(cron), timezone);
    } catch (err) {
      if (!(err instanceof CronPatternError)) throw err;
      throw new InvalidInputError(`${FIVE_FIELDS}: ${err.message}`);
    }
  }

  /**
   * The first fire time strictly after `after` (epoch ms), or null when there is none before
   * `until` (exclusive: a fire time equal to `until` does not fire) or none at all.
   */
  nextAfter(after: number, until: number | null = null): number | null {
    return nextFireAfter(this.pattern, this.timezone, after, until);
  }
}
