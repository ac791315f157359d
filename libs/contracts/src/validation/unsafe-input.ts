/**
 * Input that no field of ours ever needs and that breaks something further on, found
 * before class-transformer and class-validator see a value:
 *
 * - NUL, which Postgres refuses in text and jsonb;
 * - lone UTF-16 surrogates (`"\udfff"`), which a text column silently turns into U+FFFD
 *   and a jsonb column refuses outright (an accepted event would never be projected);
 * - keys named after `Object.prototype`'s members (`constructor`, `toString`,
 *   `__proto__`, ...): class-validator's whitelist looks field names up in a plain
 *   object, so these pass as known fields, and class-transformer drops or trips over
 *   them (`{"context":{"constructor":"x"}}` made it throw);
 * - nesting deeper than any of our shapes: the recursive walks of class-transformer,
 *   class-validator and `JSON.stringify` overflow the stack on a few thousand levels.
 *
 * The walk is iterative, so it is safe on any depth the JSON parser produced.
 */

/** Deeper than every request shape we accept (a batch item's context is at depth 3). */
export const MAX_INPUT_DEPTH = 32;

const RESERVED_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type UnsafeInputKind = 'nul' | 'lone-surrogate' | 'reserved-key' | 'too-deep';

export interface UnsafeInput {
  kind: UnsafeInputKind;
  /** Where, as `a.b[2].c`; empty for the value itself. */
  path: string;
}

function problemOfString(s: string): UnsafeInputKind | undefined {
  if (s.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(s)) return 'lone-surrogate';
  return undefined;
}

/** The first unsafe spot in a parsed JSON value, in document order, or undefined. */
export function findUnsafeInput(value: unknown, maxDepth = MAX_INPUT_DEPTH): UnsafeInput | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { value: v, path, depth } = top;
    if (typeof v === 'string') {
      const kind = problemOfString(v);
      if (kind) return { kind, path };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { kind: 'too-deep', path };
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(v)) {
      v.forEach((item, i) => children.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }));
    } else {
      for (const key of Object.keys(v)) {
        const keyPath = path ? `${path}.${key}` : key;
        const keyProblem = problemOfString(key);
        // A key is reported by its parent's path: the key itself cannot be shown safely.
        if (keyProblem) return { kind: keyProblem, path: path || '(field name)' };
        if (RESERVED_KEYS.has(key)) return { kind: 'reserved-key', path: keyPath };
        children.push({ value: (v as Record<string, unknown>)[key], path: keyPath, depth: depth + 1 });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return undefined;
}

/** The contract's wording of an unsafe spot (`unknownWord`: "field" or "query parameter"). */
export function describeUnsafeInput({ kind, path }: UnsafeInput, unknownWord = 'field', whole = 'body'): string {
  switch (kind) {
    case 'nul':
      return `${path || whole} must not contain NUL characters`;
    case 'lone-surrogate':
      return `${path || whole} must be well-formed Unicode (no lone surrogate code points)`;
    case 'reserved-key':
      return `${path} is not a known ${unknownWord}`;
    case 'too-deep':
      return `${path || whole} is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`;
  }
}
