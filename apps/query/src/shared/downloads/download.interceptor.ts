import { Readable } from 'node:stream';
import { Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Clock, toErrorResponse } from '@runtrail/platform';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { map, type Observable } from 'rxjs';
import { Download } from './download';
import { LineFile } from './line-file';

/** What a file's stream holds ahead of the socket at most (plus the piece being pushed). */
const STREAM_BUFFER_BYTES = 1 << 20;
const CONTENT_TYPES = { json: 'application/json; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/**
 * Answers a Download (or a LineFile) as a streamed file (`Content-Disposition: attachment`). Nest pipes
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
    return next.handle().pipe(
      map((answer: unknown) => {
        if (answer instanceof Download) {
          const stamp = this.clock.iso().replace(/[:.]/g, '-');
          return this.file(answer.chunks, CONTENT_TYPES[answer.format], `${answer.baseName}-${stamp}.${answer.format}`, res);
        }
        return answer instanceof LineFile ? this.file(answer.lines, answer.contentType, answer.fileName, res) : answer;
      }),
    );
  }

  private file(chunks: AsyncIterable<string>, type: string, fileName: string, res: Response): StreamableFile {
    res.set('Cache-Control', 'no-store');
    // Bounded in bytes, not in pieces: a download's pieces are a whole chunk of records each.
    const stream = Readable.from(chunks, { objectMode: false, highWaterMark: STREAM_BUFFER_BYTES });
    return new StreamableFile(stream, { type, disposition: `attachment; filename="${fileName}"` }).setErrorHandler((err) => {
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
