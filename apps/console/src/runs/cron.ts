import { Cron } from 'croner';
import cronstrue from 'cronstrue';

/**
 * Cron expressions as the query service reads them (contract §9): croner, the server's own
 * library at the same version, in its standard five-field mode (minute precision; no
 * seconds or years), in an IANA time zone. The reading in words is cronstrue's.
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

function cronError(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/^CronPattern:\s*/, '');
  if (/parts/.test(message)) return `Write five fields: ${CRON_FIELDS} (seconds are not taken).`;
  return `Not a valid cron expression: ${message}`;
}

/**
 * What a schedule would do: its reading and its next `count` fire times after `from`, in
 * `timezone`, none at or after `until`; or why the expression is refused.
 */
export function previewCron(cron: string, timezone: string, from: Date, until?: Date, count = 3): CronPreview {
  const pattern = cron.trim();
  if (!pattern) return { ok: false, error: `Write five fields: ${CRON_FIELDS}.` };
  let job: Cron;
  try {
    // No function: croner only computes, it schedules nothing.
    job = new Cron(pattern, { timezone, mode: '5-part', ...(until ? { stopAt: until } : {}) });
  } catch (err) {
    return { ok: false, error: cronError(err) };
  }
  return { ok: true, reading: describeCron(pattern), next: job.nextRuns(count, from) };
}
