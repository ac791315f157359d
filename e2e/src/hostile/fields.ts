import fc from 'fast-check';
import { MARK, objectOf, type Template } from './template';
import { UNICODE, freeText, notAString, rarely, withLoneSurrogate, withNul } from './text';

/**
 * One generated body field and what the contract says of it: valid, invalid, or left
 * open by the contract (then any answer below 500 is fine). Shared by the admin and the
 * schedule cases.
 */
export type Field = { value?: Template; verdict: 'ok' | 'bad' | 'unsure' };
export const ok = (value: Template | undefined): Field => ({ value, verdict: 'ok' });
export const bad = (value?: Template): Field => ({ value, verdict: 'bad' });

/** What the marker placeholder becomes on the wire, for judging a value (letters and digits). */
const AS_SENT = 'M'.repeat(MARK.length);

export type TextVerdict = (s: string, max: number) => Field['verdict'];

/** "1 to N printable characters": letters, marks, digits, punctuation, symbols, spaces; no controls. */
export const printableVerdict: TextVerdict = (s, max) => {
  const n = [...s].length;
  if (n < 1 || n > max || /[\p{Cc}\p{Cf}\p{Cs}\p{Co}]/u.test(s)) return 'bad';
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u.test(s) ? 'ok' : 'unsure';
};

/**
 * "1 to N characters without control characters" (a reason, a correlation id): format
 * characters are fine here; lone surrogates are refused for every field.
 */
export const noControlsVerdict: TextVerdict = (s, max) => {
  const n = [...s].length;
  return n < 1 || n > max || /[\p{Cc}\p{Cs}]/u.test(s) ? 'bad' : 'ok';
};

/** A required text field of 1 to `max` characters, judged by `judge`; sometimes missing. */
export function printable(max: number, judge: TextVerdict = printableVerdict): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(ok(`${MARK} name`)) },
    { weight: 3, arbitrary: freeText(max - MARK.length).map((t) => ({ value: `${MARK}${t}`, verdict: judge(`${AS_SENT}${t}`, max) })) },
    { weight: 1, arbitrary: fc.constantFrom(...UNICODE).map((u) => ({ value: `${MARK}${u}`, verdict: judge(`${AS_SENT}${u}`, max) })) },
    { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(max + 1), '😀'.repeat(max + 1)).map((value) => bad(value)) },
    { weight: 1, arbitrary: fc.oneof(withNul, withLoneSurrogate, notAString).map((value) => bad(value)) },
    { weight: 1, arbitrary: fc.constant(bad(undefined)) },
  );
}

/** The same for an optional field: missing is fine, and null is taken as absent or refused. */
export function optionalPrintable(max: number, judge: TextVerdict): fc.Arbitrary<Field> {
  return fc.oneof(
    { weight: 8, arbitrary: printable(max, judge).map((f) => (f.value === undefined ? ok(undefined) : f)) },
    { weight: 1, arbitrary: fc.constant<Field>({ value: null, verdict: 'unsure' }) },
  );
}

export function verdictOf(fields: Field[], extraBad: boolean): 'ok' | 'bad' | 'unsure' {
  if (extraBad || fields.some((f) => f.verdict === 'bad')) return 'bad';
  return fields.some((f) => f.verdict === 'unsure') ? 'unsure' : 'ok';
}

export function bodyOf(entries: [string, Field][], extra: [string, Template][]): Template {
  const present = entries.flatMap(([k, f]): [string, Template][] => (f.value === undefined ? [] : [[k, f.value]]));
  return objectOf([...present, ...extra]);
}

/** Unknown, server-owned and prototype-polluting fields: every body must refuse them. */
export const EXTRA_FIELDS = rarely(
  fc.tuple(fc.constantFrom('id', 'key', 'tenant', 'revokedAt', 'createdAt', 'token', '__proto__', 'constructor', 'toString', 'isAdmin', 'runnerId '), fc.constantFrom<Template>('x', true, null, objectOf([['tenantId', 'x']]))),
  6,
);

/** Path ids that are no id at all (some percent-encoded, as sent). */
export const GARBAGE_IDS = ['x', '%00', '..%2f..%2fapi-keys', '%zz', 'a'.repeat(300), '*', '%2A', '00000000-0000-0000-0000-00000000000G', "'%20OR%201%3D1"];
