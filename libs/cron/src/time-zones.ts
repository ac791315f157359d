let zones: readonly string[] | null = null;
let known: ReadonlySet<string> | null = null;

/**
 * The time zones a schedule may take: the IANA names the runtime knows
 * (`Intl.supportedValuesOf('timeZone')`, exact spelling) plus `UTC`, which some runtimes
 * list only under its canonical name. Read once, on first use.
 */
export function timeZones(): readonly string[] {
  if (!zones) {
    // Guarded for browsers that predate Intl.supportedValuesOf: they are offered UTC.
    const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = listed.includes('UTC') ? listed : ['UTC', ...listed];
  }
  return zones;
}

/** Whether `zone` is one of `timeZones()`. */
export function isTimeZone(zone: string): boolean {
  known ??= new Set(timeZones());
  return known.has(zone);
}
