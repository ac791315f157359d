import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { isQuietPath, requestLogFields } from '../logging/request-log';
import { Metrics } from '../metrics/metrics';
import { nonJsonBodyError, parseJsonBody } from './body-handling';

/**
 * The Fastify side of createHttpApp (ADR 0022). Every body, whatever its content type,
 * goes through the same parseJsonBody as under Express, so 413, 415 and 400 come out
 * alike; its domain errors reach the one exception filter. Latency and the request log
 * line are one `onResponse` hook: no Nest middleware, so no middie and no per-request
 * logger context (pino-http's child logger and async-local storage, a tenth of the
 * gateway's CPU at load).
 */
export async function createFastifyApp(module: Type<unknown>): Promise<INestApplication> {
  const adapter = new FastifyAdapter({
    logger: false,
    // Drain as under Express: a request that arrives on a busy keep-alive connection after
    // SIGTERM is still answered, with Connection: close (drain-on-close.ts), not refused with 503.
    return503OnClosing: false,
    // Routes match as Express matches them: `/v1/audit-events/` and `/V1/Audit-Events` too.
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: false },
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, { bufferLogs: true, bodyParser: false });
  const fastify = app.getHttpAdapter().getInstance();

  // Before Fastify's own check of the Content-Type header, so a malformed one (`json`) gets
  // the same 415 and message as under Express.
  fastify.addHook('preParsing', (request, _reply, payload, done) => done(nonJsonBodyError(request.raw) ?? null, payload));
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, _payload, done) => {
    parseJsonBody(request.raw).then(
      (body) => done(null, body),
      (err: Error) => done(err, undefined),
    );
  });

  const metrics = app.get(Metrics);
  const log = (await app.resolve(PinoLogger)).logger;
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(status) },
      reply.elapsedTime / 1000,
    );
    if (!isQuietPath(request.url)) {
      const fields = { req: requestLogFields(request), res: { statusCode: status }, responseTime: Math.round(reply.elapsedTime) };
      if (status >= 500) log.error(fields, 'request errored');
      else log.info(fields, 'request completed');
    }
    done();
  });
  return app;
}
