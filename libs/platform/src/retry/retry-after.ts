/** A `Retry-After` header (seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  // delay-seconds is digits only (RFC 9110 §10.2.3); anything else that starts like a number is
  // unreadable, never a date: Date.parse reads "-1" or "3.5" as a year.
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  if (/^\s*[-+.\d]/.test(header)) return undefined;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}
