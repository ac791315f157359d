import { isUtf8 } from 'node:buffer';

/** Arrays and objects may nest this deep in a request body (a batch of events with a `context` needs 3). */
export const MAX_JSON_DEPTH = 32;

export type JsonBodyProblem = { kind: 'not-utf8' } | { kind: 'too-deep'; maxDepth: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * One linear pass over the raw bytes of a JSON body, before JSON.parse, with a counter
 * instead of recursion, so a hostile 1 MiB `[[[[…` costs one loop and no stack. It
 * refuses, for every endpoint alike, what the rest of the service could not handle:
 *
 * - nesting deeper than `maxDepth`: class-transformer, class-validator and
 *   JSON.stringify all recurse, and a few thousand levels overflow the stack (a 500);
 * - bytes that are not UTF-8: decoding would replace them with U+FFFD, so the stored
 *   text would silently differ from what was sent.
 *
 * Lone surrogates written as escapes (`"\ud800"`) are valid UTF-8 and are refused
 * after parsing, with the field named (libs/contracts `findUnsafeInput`).
 *
 * Only structural bytes are looked at: in UTF-8 every byte of a multi-byte character
 * is >= 0x80, so quotes and brackets are never mistaken. Syntax errors are left to
 * JSON.parse; the scan only has to be right about valid JSON.
 */
export function scanJsonBody(buf: Uint8Array, maxDepth = MAX_JSON_DEPTH): JsonBodyProblem | undefined {
  if (!isUtf8(buf)) return { kind: 'not-utf8' };
  let depth = 0;
  let inString = false;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const b = buf[i];
    if (inString) {
      if (b === BACKSLASH) i++; // the escaped byte is never structural
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      if (++depth > maxDepth) return { kind: 'too-deep', maxDepth };
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth--;
  }
  return undefined;
}
