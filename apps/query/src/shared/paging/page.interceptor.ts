import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, type Observable } from 'rxjs';
import { Page, nextLink } from './page';

/**
 * Answers a Page as a bare array, with `Link: <…>; rel="next"` when more records exist
 * (docs/api.md#lists-and-paging). The link repeats the request's own path and filters, which only the
 * HTTP layer knows; other answers pass through.
 */
@Injectable()
export class PageInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((answer: unknown) => {
        if (!(answer instanceof Page)) return answer;
        if (answer.nextCursor) {
          const req = http.getRequest<Request>();
          http.getResponse<Response>().set('Link', nextLink(req.path, req.query as Record<string, string | undefined>, answer.limit, answer.nextCursor));
        }
        return answer.items;
      }),
    );
  }
}
