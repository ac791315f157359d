/**
 * The time zones a schedule may take, as the query service checks them: the IANA names the
 * runtime knows (`Intl.supportedValuesOf('timeZone')`) plus `UTC`.
 */
export function timeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** The browser's own zone when it is one of `zones` (not an alias the list lacks), else UTC. */
export function defaultTimeZone(zones: readonly string[]): string {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return own && zones.includes(own) ? own : 'UTC';
}
