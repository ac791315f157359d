import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { throwError, type Observable } from 'rxjs';
import { toErrorResponse } from './error-response';

/**
 * The one place errors become answers. Over HTTP a domain error maps to its status and
 * anything else to a 500 with an error id. A message handler's error goes back to its
 * transport unchanged: the JetStream pull loop decides what it means (hold the batch and
 * retry) and logs it without a stack.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const res = host.switchToHttp().getResponse<Response>();
    const { status, body, headers } = toErrorResponse(exception, this.logger.logger);
    if (res.headersSent) {
      // A streamed download failed half-way: the status is gone, so cut the stream
      // short rather than append an error body to a file.
      res.destroy();
      return;
    }
    res.status(status).set(headers).json(body);
  }
}
