/**
 * The browser's own zone when it is one of `zones` (not an alias the list lacks), else UTC.
 * The list itself is `timeZones()` of `@runtrail/cron`, the zones the query service takes.
 */
export function defaultTimeZone(zones: readonly string[]): string {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return own && zones.includes(own) ? own : 'UTC';
}
