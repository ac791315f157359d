/** Paging state shared by every list view: `cursor` (from the Link header) and `limit`. */
export interface Paging {
  cursor?: string | undefined;
  limit?: number | undefined;
}

export const PAGE_SIZES = [20, 40, 100, 200] as const;
export const DEFAULT_LIMIT = 40;

export function readPaging(params: URLSearchParams): Paging {
  const cursor = params.get('cursor') || undefined;
  const raw = params.get('limit');
  const limit = raw !== null && /^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 1000 ? Number(raw) : undefined;
  return { cursor, limit };
}

export function writePaging(params: URLSearchParams, paging: Paging): void {
  params.delete('cursor');
  params.delete('limit');
  if (paging.limit !== undefined) params.set('limit', String(paging.limit));
  if (paging.cursor) params.set('cursor', paging.cursor);
}

/** `limit` and `cursor` for the API: the page size as strings, as the API's query takes them. */
export function pagingQuery(paging: Paging): { limit?: string; cursor?: string } {
  return {
    ...(paging.limit !== undefined ? { limit: String(paging.limit) } : {}),
    ...(paging.cursor ? { cursor: paging.cursor } : {}),
  };
}

/** Paging alone as a view's URL state (useUrlState): a copy of `base`, other keys (such as an embed's token) kept. */
export function writePagingState(paging: Paging, base: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  writePaging(params, paging);
  return params;
}
