import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { PinoLogger } from 'nestjs-pino';
import { throwError, type Observable } from 'rxjs';
import { toErrorResponse } from './error-response';

/**
 * The one place errors become answers. Over HTTP a domain error maps to its status and
 * anything else to a 500 with an error id. A message handler's error goes back to its
 * transport unchanged: the JetStream pull loop decides what it means (hold the batch and
 * retry) and logs it without a stack. The answer goes through Nest's HTTP adapter, so
 * it is the same under Express and Fastify.
 */
@Catch()
export class DomainExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: PinoLogger,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);
    const adapter = this.adapterHost.httpAdapter;
    const res = host.switchToHttp().getResponse<object>();
    const { status, body, headers } = toErrorResponse(exception, this.logger.logger);
    if (adapter.isHeadersSent(res)) {
      // A streamed download failed half-way: the status is gone, so cut the stream
      // short rather than append an error body to a file. (Fastify's reply holds Node's response as `raw`.)
      ('raw' in res ? (res.raw as ServerResponse) : (res as ServerResponse)).destroy();
      return;
    }
    for (const [name, value] of Object.entries(headers)) adapter.setHeader(res, name, value);
    adapter.reply(res, body, status);
  }
}
