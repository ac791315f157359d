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

let knownLower: ReadonlyMap<string, string> | null = null;

/** Each segment starts with a capital letter, as IANA names are spelt (`America/Argentina/Buenos_Aires`, `EST5EDT`). */
const IANA_SPELLING = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;

/**
 * Whether `zone` is an IANA name as spelt: one of `timeZones()`, or another name the runtime
 * resolves, such as a link the list leaves out (Node 20 lists `Asia/Calcutta`, not the current
 * `Asia/Kolkata`). A different spelling of a listed name (`europe/berlin`) is refused, so the
 * schedule keeps the name its author will recognise.
 */
export function isTimeZone(zone: string): boolean {
  known ??= new Set(timeZones());
  if (known.has(zone)) return true;
  knownLower ??= new Map(timeZones().map((z) => [z.toLowerCase(), z]));
  if (knownLower.has(zone.toLowerCase()) || !IANA_SPELLING.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
