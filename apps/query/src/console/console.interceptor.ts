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
  constructor(
    private readonly reflector: Reflector,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    const framing = this.reflector.get<'none' | 'embed' | undefined>(FRAMING, context.getHandler());
    res.set(securityHeaders(framing === 'embed' ? this.config.EMBED_FRAME_ANCESTORS : NO_FRAMING));
    return next.handle().pipe(
      map((file: ConsoleFile) => {
        res.set('Cache-Control', CACHE_CONTROL[file.cache]);
        const options = { type: file.type };
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
