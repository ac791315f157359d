import { Inject, Injectable, SetMetadata, StreamableFile, UseInterceptors, applyDecorators, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { QueryConfig } from '../shared/config/query.config';
import { CACHE_CONTROL, NO_FRAMING, securityHeaders } from './console-headers';
import type { ConsoleFile } from './console-files';

const FRAMING = 'runtrail:console-framing';

/**
 * Answers a ConsoleFile with the console's headers: the security headers on every answer
 * of the route (errors included), the caching of its kind on success only, so a 404 or a
 * 503 is never kept a year.
 */
@Injectable()
class ConsoleInterceptor implements NestInterceptor {
  /** The two sets of security headers: every console route's, and the embed page's. */
  private readonly headers: Record<string, string>;
  private readonly embedHeaders: Record<string, string>;

  constructor(
    private readonly reflector: Reflector,
    @Inject(QueryConfig) config: QueryConfig,
  ) {
    this.headers = securityHeaders(NO_FRAMING);
    this.embedHeaders = securityHeaders(config.EMBED_FRAME_ANCESTORS);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    const framing = this.reflector.get<'none' | 'embed' | undefined>(FRAMING, context.getHandler());
    res.set(framing === 'embed' ? this.embedHeaders : this.headers);
    return next.handle().pipe(
      map((file: ConsoleFile) => {
        res.set('Cache-Control', CACHE_CONTROL[file.cache]);
        const options = { type: file.type };
        // The same call twice: StreamableFile has one overload for a buffer and one for a
        // stream, and TypeScript picks an overload for a narrowed body only, not for the union.
        return Buffer.isBuffer(file.body) ? new StreamableFile(file.body, options) : new StreamableFile(file.body, options);
      }),
    );
  }
}

/**
 * A route of the console: its answer is a ConsoleFile. `embed` lets the sites in
 * EMBED_FRAME_ANCESTORS frame the page; every other console route may not be framed.
 */
export function ConsoleRoute(framing: 'none' | 'embed' = 'none') {
  return applyDecorators(SetMetadata(FRAMING, framing), UseInterceptors(ConsoleInterceptor));
}
