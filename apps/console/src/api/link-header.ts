/**
 * The `cursor` of a `Link: <…>; rel="next"` header (docs/api.md#lists-and-paging): the
 * next page is the same query with this cursor, so the console keeps it in its URL and
 * asks for one page at a time.
 */
export function nextCursor(link: string | null): string | null {
  if (!link) return null;
  for (const part of splitLinks(link)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!match) continue;
    const [, target = '', params = ''] = match;
    const rels = params
      .split(';')
      .map((p) => /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(p)?.[1])
      .filter((r): r is string => r !== undefined)
      .flatMap((r) => r.toLowerCase().split(/\s+/));
    if (!rels.includes('next')) continue;
    const cursor = new URL(target, 'http://link.invalid').searchParams.get('cursor');
    if (cursor) return cursor;
  }
  return null;
}

/** One page of a list: its rows, and the cursor of the next page when there is one. */
export interface ListPage<T> {
  rows: T[];
  next: string | null;
}

/** A list answer as a page, its next cursor read from the `Link` header. */
export function listPage<T>({ data, response }: { data: T[]; response: Response }): ListPage<T> {
  return { rows: data, next: nextCursor(response.headers.get('Link')) };
}

/** Link values separated by commas outside <…> and quotes. */
function splitLinks(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inTarget = false;
  let inQuotes = false;
  for (const ch of header) {
    if (ch === '<' && !inQuotes) inTarget = true;
    else if (ch === '>' && !inQuotes) inTarget = false;
    else if (ch === '"' && !inTarget) inQuotes = !inQuotes;
    if (ch === ',' && !inTarget && !inQuotes) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}
