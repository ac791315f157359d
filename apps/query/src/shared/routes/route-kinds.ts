import { HttpCode, UseInterceptors, applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { DownloadInterceptor } from '../downloads/download.interceptor';
import { PageInterceptor } from '../paging/page.interceptor';

/**
 * The OpenAPI answers of each kind of route, so that every route of a kind declares the
 * same errors (docs/api.md#errors) and none is written out by hand. 429 is added to
 * every authenticated route by libs/platform.
 */
const ERRORS = {
  400: 'Invalid input; the messages name each field, parameter or cursor at fault',
  401: 'Missing, malformed, unknown or revoked key or runner token',
  403: 'The key lacks the scope, or the act is not allowed to this caller',
  404: "No such record in the caller's tenant",
  409: "The act conflicts with the record's state",
  413: 'Body over 1 MiB',
  415: 'Body is not UTF-8 JSON',
  503: 'NATS or Postgres is unreachable; retry after Retry-After',
} as const;

type ErrorStatus = keyof typeof ERRORS;

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } };

function errors(...statuses: (ErrorStatus | false)[]) {
  return applyDecorators(
    ...statuses
      .filter((s): s is ErrorStatus => s !== false)
      .map((status) => ApiResponse({ status, description: ERRORS[status], ...(status === 503 ? { headers: RETRY_AFTER } : {}) })),
  );
}

/**
 * GET of a list. The handler returns a Page (answered as a bare array with
 * `Link: <…>; rel="next"` when more records exist) or, with `download`, a Download
 * (answered as a JSON or CSV file).
 */
export function ListRoute(item: Type, options: { download?: boolean } = {}) {
  const page = ApiOkResponse({
    type: item,
    isArray: true,
    description: options.download ? 'A page, or with download=true the whole matching set as a file' : 'A page',
    headers: { Link: { description: '`<…&limit=N&cursor=…>; rel="next"` when more records exist', schema: { type: 'string' } } },
  });
  return options.download
    ? applyDecorators(page, ApiProduces('application/json', 'text/csv'), UseInterceptors(PageInterceptor, DownloadInterceptor), errors(400, 401, 403, 503))
    : applyDecorators(page, UseInterceptors(PageInterceptor), errors(400, 401, 403, 503));
}

/** GET of an answer that is neither a list nor a record by id (stats, a runner's session). */
export function ReadRoute(type: Type, options: { isArray?: boolean } = {}) {
  return applyDecorators(ApiOkResponse({ type, isArray: options.isArray }), errors(400, 401, 403, 503));
}

/** GET of a file answered whole as an attachment (a LineFile), streamed as the client reads. */
export function FileRoute(contentType: string, description: string) {
  return applyDecorators(
    ApiProduces(contentType),
    ApiOkResponse({ description, content: { [contentType]: { schema: { type: 'string' } } } }),
    UseInterceptors(DownloadInterceptor),
    errors(400, 401, 403, 503),
  );
}

/** GET of one record by its id; another tenant's record answers 404 like a missing one. */
export function RecordRoute(type: Type) {
  return applyDecorators(ApiOkResponse({ type }), errors(400, 401, 403, 404, 503));
}

export interface ChangeRouteOptions {
  status: 200 | 201 | 202 | 204;
  /** The answer's body; none for 204. */
  answer?: Type;
  /** The route reads a JSON body: 400, 413, 415. */
  takesBody?: boolean;
  /** The route acts on a record named in its path: 404. */
  onRecord?: boolean;
  /** The act can conflict with the record's state: 409. */
  mayConflict?: boolean;
}

/** A POST or DELETE that changes something, answered with `status`. */
export function ChangeRoute(o: ChangeRouteOptions) {
  return applyDecorators(
    HttpCode(o.status),
    ApiResponse({ status: o.status, type: o.answer, description: o.answer ? undefined : 'No body' }),
    errors(!!o.takesBody && 400, 401, 403, !!o.onRecord && 404, !!o.mayConflict && 409, !!o.takesBody && 413, !!o.takesBody && 415, 503),
  );
}
