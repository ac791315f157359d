/**
 * The timeline's search box: qualifiers of GET /v1/audit's filters (docs/api.md#get-v1-audit),
 * such as `action:Delete source_name:"Jane Doe" success:false`, `changed_field:replicas` (entries
 * whose changes name that field) or `correlation_id:pipeline-4711`. Values with spaces (or
 * quotes) go in double quotes, with `\"` and `\\` inside. Every word must be a qualifier:
 * the API matches exactly and has no free-text search, so a bare word would silently match
 * nothing; it is an error instead.
 */
export const QUALIFIERS = ['action', 'source_type', 'source_id', 'source_name', 'entity_type', 'entity_id', 'success', 'changed_field', 'correlation_id'] as const;
export type Qualifier = (typeof QUALIFIERS)[number];
export type SearchFilters = Partial<Record<Qualifier, string>>;

export type ParseResult = { ok: true; filters: SearchFilters } | { ok: false; error: string };

const isQualifier = (key: string): key is Qualifier => (QUALIFIERS as readonly string[]).includes(key);
const EXAMPLE = 'write qualifier:value, for example action:Delete or source_name:"Jane Doe"';

interface Token {
  key: string | null;
  value: string;
  raw: string;
}

/** Splits the text into `key:value` and bare tokens; quotes only open right after `key:` or at a word's start. */
function tokenize(text: string): Token[] | { error: string } {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    if (/\s/.test(text[i] ?? '')) {
      i++;
      continue;
    }
    const begin = i;
    let key: string | null = null;
    const keyMatch = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(text.slice(i));
    if (keyMatch?.[1]) {
      key = keyMatch[1].toLowerCase();
      i += keyMatch[0].length;
    }
    let value = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i];
        if (ch === '\\' && i + 1 < n) {
          value += text[i + 1];
          i += 2;
        } else if (ch === '"') {
          closed = true;
          i++;
          break;
        } else {
          value += ch;
          i++;
        }
      }
      if (!closed) return { error: `The quote after ${key ? `${key}:` : 'the start of a word'} is not closed.` };
      if (i < n && !/\s/.test(text[i] ?? '')) return { error: `Leave a space after the closing quote of ${key ? `${key}:` : 'a quoted word'}.` };
    } else {
      while (i < n && !/\s/.test(text[i] ?? '')) value += text[i++];
    }
    tokens.push({ key, value, raw: text.slice(begin, i) });
  }
  return tokens;
}

const SOURCE_TYPES = ['User', 'Application'];

/** The API's rules for these two values (contract §9): an error here instead of its 400. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const CORRELATION_ID = /^[^\p{Cc}]{1,128}$/u;

export function parseSearch(text: string): ParseResult {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, error: tokens.error };
  const filters: SearchFilters = {};
  for (const token of tokens) {
    if (token.key === null) return { ok: false, error: `“${token.raw}” is not a filter: ${EXAMPLE}.` };
    if (!isQualifier(token.key)) {
      return { ok: false, error: `${token.key}: is not a qualifier. Use one of ${QUALIFIERS.map((q) => `${q}:`).join(' ')}` };
    }
    if (token.value === '') return { ok: false, error: `${token.key}: needs a value.` };
    if (filters[token.key] !== undefined) return { ok: false, error: `${token.key}: is given twice; the filters match exactly, give it once.` };
    let value = token.value;
    if (token.key === 'success') {
      value = value.toLowerCase();
      if (value !== 'true' && value !== 'false') return { ok: false, error: 'success: is true or false.' };
    }
    if (token.key === 'source_type') {
      const known = SOURCE_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
      if (!known) return { ok: false, error: 'source_type: is User or Application.' };
      value = known;
    }
    if (token.key === 'changed_field' && !FIELD_NAME.test(value)) {
      return { ok: false, error: 'changed_field: is a field name: a letter or _, then up to 63 letters, digits, _, . or -.' };
    }
    if (token.key === 'correlation_id' && !CORRELATION_ID.test(value)) return { ok: false, error: 'correlation_id: is 1 to 128 characters, none of them control characters.' };
    filters[token.key] = value;
  }
  return { ok: true, filters };
}

/** A value as the search text writes it: in double quotes (with `\"` and `\\` inside) when it holds a space, a quote or nothing. */
export function quote(value: string): string {
  return /[\s"\\]/.test(value) || value === '' ? `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"` : value;
}

/** The filters as search text, in a fixed order; parseSearch reads it back to the same filters. */
export function formatSearch(filters: SearchFilters): string {
  return QUALIFIERS.filter((q) => filters[q] !== undefined)
    .map((q) => `${q}:${quote(filters[q] ?? '')}`)
    .join(' ');
}
