import { Readable } from 'node:stream';
import { Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Clock, toErrorResponse } from '@runtrail/platform';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { map, type Observable } from 'rxjs';
import { Download } from './download';
import { downloadChunks } from './download-chunks';

const CONTENT_TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/**
 * Answers a Download as a streamed file (`Content-Disposition: attachment`). Nest pipes
 * the stream with back-pressure, so records are read from the database only as fast as
 * the client takes them, and stops reading when the client goes away.
 */
@Injectable()
export class DownloadInterceptor implements NestInterceptor {
  constructor(
    private readonly clock: Clock,
    private readonly logger: PinoLogger,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const res = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(map((answer: unknown) => (answer instanceof Download ? this.file(answer, res) : answer)));
  }

  private file(d: Download<object>, res: Response): StreamableFile {
    const stamp = this.clock.iso().replace(/[:.]/g, '-');
    res.set('Cache-Control', 'no-store');
    return new StreamableFile(Readable.from(downloadChunks(d)), {
      type: CONTENT_TYPES[d.format],
      disposition: `attachment; filename="${d.baseName}-${stamp}.${d.format}"`,
    }).setErrorHandler((err) => {
      const { status, body, headers } = toErrorResponse(err, this.logger.logger);
      // As DomainExceptionFilter: once the file has begun, cut it short rather than
      // append an error to it; clients then report an incomplete transfer.
      if (res.headersSent) {
        res.destroy();
      } else {
        res.removeHeader('Content-Disposition');
        res.status(status).type('json').set(headers).json(body);
      }
    });
  }
}
