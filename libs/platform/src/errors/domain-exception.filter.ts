import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from './error-response';

@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
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
