import fc from 'fast-check';

/** Strings that break naive SQL, shells, templates, parsers and loggers. */
export const INJECTION = [
  "' OR '1'='1",
  "'; DROP TABLE audit_events; --",
  "1' UNION SELECT tenant_id, source_name FROM audit_events --",
  '" OR ""="',
  "') OR tenant_id <> '",
  '1; SELECT pg_sleep(5)',
  '$1',
  '$$',
  'E\'\\x00\'',
  '\\',
  '\\\\',
  '%',
  '_',
  '%%',
  "%' OR 1=1 --",
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}',
  '<%= 7*7 %>',
  '<script>alert(1)</script>',
  '../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '$(id)',
  '`id`',
  '; rm -rf /',
  '| cat /etc/passwd',
  '{"$ne":null}',
  '{"$gt":""}',
  '[$ne]',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  'true',
  '__proto__',
  'constructor',
  'toString',
  'syntax error at or near',
  'at Object.<anonymous> (/app/main.ts:1:1)',
  'node_modules',
  'SELECT 1',
  'rt_0000000000000000000000000000000000000000',
  '\r\nX-Injected: 1',
  '%0d%0aSet-Cookie: a=b',
] as const;

/** Unicode that tends to be mishandled: bidi overrides, zero-width, combining, astral, BOM, separators. */
export const UNICODE = [
  '\u202e',
  '\u200b',
  '\u200d',
  '\ufeff',
  'é',
  'e\u0301',
  '😀',
  '👩‍👩‍👧',
  '𝕏',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u00a0',
  'İ',
  'ß',
  'ﷺ',
  '\uffff',
  '\ufffe',
  '\u{10ffff}',
  '\u{e0001}',
  '\t',
  '\n',
  '\r',
  '\u001b[31m',
  '\u007f',
  'Ω',
  '中文',
  'עברית',
] as const;

/** A few code points joined, respecting a length limit in UTF-16 code units (never splitting a pair). */
export function clip(s: string, max: number): string {
  let out = '';
  for (const cp of s) {
    if (out.length + cp.length > max) break;
    out += cp;
  }
  return out;
}

/** Text that is valid wherever free text is (no NUL, no lone surrogate), at most `max` code units. */
export function freeText(max: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...INJECTION) },
        { weight: 3, arbitrary: fc.constantFrom(...UNICODE) },
        { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
      ),
      { maxLength: 6 },
    )
    .map((parts) => clip(wellFormed(withoutNul(parts.join(''))), max));
}

export function withoutNul(s: string): string {
  return s.split('\u0000').join('');
}

/** Drops lone surrogate halves, keeps proper pairs. */
export function wellFormed(s: string): string {
  let out = '';
  for (const cp of s) {
    const code = cp.codePointAt(0) ?? 0;
    if (code < 0xd800 || code > 0xdfff) out += cp;
  }
  return out;
}

/** A lone UTF-16 surrogate, high or low. */
export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Text with a NUL somewhere in it. */
export const withNul = fc
  .tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }))
  .map(([a, b]) => `${withoutNul(a)}\u0000${b}`);

/** Text with a lone surrogate somewhere in it. */
export const withLoneSurrogate = fc
  .tuple(fc.string({ maxLength: 8 }), loneSurrogate, fc.string({ maxLength: 8 }))
  .map(([a, s, b]) => `${wellFormed(withoutNul(a))}${s}${wellFormed(withoutNul(b))}`);

/** A string of `min` to `max` characters (code points: ASCII, astral, Latin-1, quotes). */
export function longText(min: number, max: number): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min, max }), fc.constantFrom('x', '😀', 'é', "'")).map(([n, unit]) => unit.repeat(n));
}

/** Values of the wrong JSON type for a string field (never null: null is "absent" for optional fields). */
export const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
  fc.constant<string[]>([]),
  fc.constant<Record<string, string>>({}),
);

/** JSON text that is not valid JSON or is a number no field takes. */
export const ODD_NUMBERS = ['1e309', '-1e309', '-0', 'NaN', 'Infinity', '-Infinity', '0x10', '01', '1.', '.5', '+1', '1e', '-', '9007199254740993', '1.7976931348623157e309', '4.9e-325'] as const;
/** Of those, the ones JSON.parse accepts. */
export const VALID_JSON_NUMBERS = new Set(['1e309', '-1e309', '-0', '9007199254740993', '1.7976931348623157e309', '4.9e-325']);

/** Dates every date-time field must refuse. */
export const BAD_DATES = [
  '2022-02-30T00:00:00Z',
  '2022-13-01T00:00:00Z',
  '2022-07-07T24:00:00Z',
  '2022-07-07T09:60:00Z',
  '2022-07-07T09:45:32+25:00',
  '2022-07-07T09:45:32',
  '2022-07-07',
  '2022-07-07 09:45:32Z',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00+01:00',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '99999-01-01T00:00:00Z',
  '2022-07-07T09:45:32.069Zjunk',
  'yesterday',
  'now',
  '',
  ' ',
  '1657187132069',
  'Thu, 07 Jul 2022 09:45:32 GMT',
  '2022-W27-4T09:45:32Z',
  '２０２２-07-07T09:45:32Z',
] as const;

/** Dates the query filters' `start`/`end` must refuse (date-only and local forms included). */
export const BAD_FILTER_DATES = [...BAD_DATES.filter((d) => !['2022-07-07T09:45:32', '2022-07-07'].includes(d)), '2022-1-32', '22-1-1', '2022/01/01', '2022-01-01T10:00', '0000-1-1'];

/** Valid instants written in several zoned forms. */
export function zonedDate(min: Date, max: Date): fc.Arbitrary<string> {
  return fc
    .tuple(fc.date({ min, max, noInvalidDate: true }), fc.constantFrom('Z', '+00:00', '+02:00', '-05:30', '+0100', 'ms'))
    .map(([d, form]) => {
      if (form === 'Z') return d.toISOString();
      if (form === 'ms') return d.toISOString().replace('Z', '123456Z').replace(/\.(\d{3})123456Z$/, '.$1999Z');
      const sign = form.startsWith('-') ? -1 : 1;
      const [h, m] = [Number(form.slice(1, 3)), Number(form.slice(-2))];
      const shifted = new Date(d.getTime() + sign * (h * 60 + m) * 60_000);
      return shifted.toISOString().replace('Z', form);
    });
}

/** `arb` once in `oneIn` draws, else null. (`fc.option`'s `freq` is the other way round: null once in `freq`.) */
export function rarely<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: oneIn - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}
