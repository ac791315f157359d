import { CronPatternError, nextFireAfter, parseCronPattern, type CronPattern } from '@runtrail/cron';
import cronstrue from 'cronstrue';

/**
 * Cron expressions as the query service reads them (contract §9, docs/api.md#schedules): its
 * own `@runtrail/cron`, so the preview's fire times follow the service's rule (croner's
 * five-field mode on the wall clock of an IANA time zone; a wall time the clocks skip fires
 * at the end of the gap, a repeated one at its first occurrence). The reading in words is
 * cronstrue's, and the messages are the console's.
 */
export const CRON_FIELDS = 'minute, hour, day of month, month, day of week';

/** The expression in words (`At 02:30, only on Sunday`), or null when cronstrue cannot read it. */
export function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron.trim(), { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  } catch {
    return null;
  }
}

export type CronPreview = { ok: true; reading: string | null; next: Date[] } | { ok: false; error: string };

function cronError(err: CronPatternError): string {
  if (/parts/.test(err.message)) return `Write five fields: ${CRON_FIELDS} (seconds are not taken).`;
  return `Not a valid cron expression: ${err.message}`;
}

/**
 * What a schedule would do: its reading and its next `count` fire times after `from`, in
 * `timezone`, none at or after `until`; or why the expression is refused.
 */
export function previewCron(cron: string, timezone: string, from: Date, until?: Date, count = 3): CronPreview {
  const expression = cron.trim();
  if (!expression) return { ok: false, error: `Write five fields: ${CRON_FIELDS}.` };
  let pattern: CronPattern;
  try {
    pattern = parseCronPattern(expression);
  } catch (err) {
    if (!(err instanceof CronPatternError)) throw err;
    return { ok: false, error: cronError(err) };
  }
  const next: Date[] = [];
  let after = from.getTime();
  while (next.length < count) {
    const at = nextFireAfter(pattern, timezone, after, until ? until.getTime() : null);
    if (at === null) break;
    next.push(new Date(at));
    after = at;
  }
  return { ok: true, reading: describeCron(expression), next };
}
