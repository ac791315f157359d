import { Injectable, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { refuseQuery } from './parse-input';

@Injectable()
class NoQueryInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    refuseQuery(context.switchToHttp().getRequest<Request>().query as Record<string, unknown>);
    return next.handle();
  }
}

/**
 * A GET route that takes no query parameters: any one given is a 400, like an unknown
 * filter. Checked after authentication and before the route's other input (an
 * interceptor runs ahead of the pipes), which is the order clients have always seen.
 */
export const TakesNoQuery = () => UseInterceptors(NoQueryInterceptor);
