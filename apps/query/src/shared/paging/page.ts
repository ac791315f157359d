import { createHash } from 'node:crypto';

export const DEFAULT_LIMIT = 40;
export const MAX_LIMIT = 1000;

/** One page of a list, newest first; answered as a bare array (see PageInterceptor). */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly limit: number,
    /** Set when more records exist after this page. */
    readonly nextCursor?: string,
  ) {}
}

/** A stable fingerprint of a query's filters (not its paging), to bind cursors to it. */
export function fingerprint(tenantId: string | null, filters: Record<string, unknown>): string {
  const canonical = JSON.stringify([tenantId, Object.entries(filters).sort(([a], [b]) => a.localeCompare(b))]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

/**
 * `Link: <path?filters&limit&cursor>; rel="next"`, a path-absolute URL that repeats
 * the request's filters and limit and replaces `offset` with the cursor.
 */
export function nextLink(path: string, query: Record<string, string | undefined>, limit: number, cursor: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && k !== 'offset' && k !== 'cursor' && k !== 'limit') params.set(k, v);
  }
  params.set('limit', String(limit));
  params.set('cursor', cursor);
  return `<${path}?${params.toString()}>; rel="next"`;
}
