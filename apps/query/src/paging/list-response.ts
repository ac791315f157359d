import type { ClassConstructor } from 'class-transformer';
import type { Request, Response } from 'express';
import type { Page } from './keyset-pages';
import { nextLink } from './page';
import { toPaging, type PageParamsDto, type Paging } from './paging-params.dto';
import { parseQuery } from './parse-query';

/** A list request's validated parameters and its paging. */
export function readListQuery<T extends PageParamsDto>(req: Request, dto: ClassConstructor<T>) {
  const query = parseQuery(dto, req.query as Record<string, unknown>);
  return { query, ...toPaging(query) };
}

/** Answers a page as a bare array, with `Link: rel="next"` when more records exist. */
export function sendPage<T>(req: Request, res: Response, paging: Paging, page: Page<T>): void {
  if (page.nextCursor) res.set('Link', nextLink(req.path, req.query as Record<string, string | undefined>, paging.limit, page.nextCursor));
  res.json(page.items);
}
