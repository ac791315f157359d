import { parseDateBound } from '@runtrail/contracts';

export interface DateRange {
  start?: Date;
  /** Already exclusive: a date-only `end` covers its whole day. */
  endExclusive?: Date;
}

const FORMS = 'yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone';

/** Reads the `start`/`end` filters every list shares; what is wrong goes to `problems`. */
export function parseDateRange(start: string | undefined, end: string | undefined, problems: string[]): DateRange {
  const range: DateRange = {
    start: start === undefined ? undefined : parseDateBound(start, 'start'),
    endExclusive: end === undefined ? undefined : parseDateBound(end, 'end'),
  };
  if (start !== undefined && !range.start) problems.push(`start must be ${FORMS}`);
  if (end !== undefined && !range.endExclusive) problems.push(`end must be ${FORMS}`);
  if (range.start && range.endExclusive && range.start >= range.endExclusive) problems.push('start must not be after end');
  return range;
}
