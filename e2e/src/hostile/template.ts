import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/**
 * Generated bodies are templates: plain JSON values with placeholders, filled in when
 * a request is actually sent. Each item of a body gets its own unique marker (so what
 * was stored can be traced to the exact request), and "fresh" ids get a real random
 * UUID (fast-check's uuids repeat, on purpose, which would make events deduplicate).
 * Placeholders are as long as what replaces them, so length limits judged at
 * generation time still hold on the wire.
 */
export const MARK = '\u2063MARK\u2063'.padEnd(17, '~');
export const FRESH_ID = '\u2063FRESH-UUID\u2063'.padEnd(36, '~');

/** A piece of JSON text spliced in verbatim: invalid numbers, duplicate keys, deep nesting. */
export class RawJson {
  constructor(readonly text: string) {}

  [fc.toStringMethod](): string {
    return this.text.length > 120 ? `raw(${this.text.slice(0, 60)}…${this.text.length} chars)` : `raw(${this.text})`;
  }
}

export type Template = null | boolean | number | string | RawJson | Template[] | { [key: string]: Template };

/** An object with exactly these own keys, `__proto__` included (a literal would set the prototype). */
export function objectOf(entries: [string, Template][]): { [key: string]: Template } {
  return Object.fromEntries(entries) as { [key: string]: Template };
}

/** Marker factory: `HX<tag><8 digits>Z`, unique within one run of the suite. */
export class Markers {
  private next = 0;
  readonly pattern: RegExp;

  constructor(readonly tag: string) {
    this.pattern = new RegExp(`HX${tag}(\\d{8})Z`, 'g');
  }

  take(): string {
    return `HX${this.tag}${String(this.next++).padStart(8, '0')}Z`;
  }
}

function fill(s: string, marker: string): string {
  let out = s.split(MARK).join(marker);
  while (out.includes(FRESH_ID)) out = out.replace(FRESH_ID, randomUUID());
  return out;
}

/** Serialises a template as JSON text, keeping key order and splicing raw pieces. */
export function serialize(t: Template, marker: string): string {
  if (t instanceof RawJson) return fill(t.text, marker);
  if (typeof t === 'string') return JSON.stringify(fill(t, marker));
  if (t === null || typeof t !== 'object') return JSON.stringify(t) ?? 'null';
  if (Array.isArray(t)) return `[${t.map((v) => serialize(v, marker)).join(',')}]`;
  return `{${Object.keys(t)
    .map((k) => `${JSON.stringify(fill(k, marker))}:${serialize(t[k], marker)}`)
    .join(',')}}`;
}

export interface MaterialisedItem {
  marker: string;
  /** The item's JSON text as sent. */
  text: string;
}

/**
 * A body template as JSON text; a top-level array gets one marker per item, anything
 * else one marker.
 */
export function materialise(t: Template, markers: Markers): { text: string; items: MaterialisedItem[] } {
  if (Array.isArray(t)) {
    const items = t.map((item) => {
      const marker = markers.take();
      return { marker, text: serialize(item, marker) };
    });
    return { text: `[${items.map((i) => i.text).join(',')}]`, items };
  }
  const marker = markers.take();
  const text = serialize(t, marker);
  return { text, items: [{ marker, text }] };
}
