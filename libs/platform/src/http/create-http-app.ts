import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from '../errors/error-response';
import { Metrics } from '../metrics/metrics';
import { bodyErrorTranslator, jsonBody, requireJsonBody } from './body-handling';
import { drainOnClose } from './drain-on-close';

/**
 * Every authenticated operation (the ones with a bearer `security` entry) may answer
 * 429: the key's and tenant's rate limits apply to all of them (libs/auth, ADR 0008).
 * Added here once rather than on each route, so no route can forget it.
 */
export function addRateLimitResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!op?.security?.length || op.responses['429']) continue;
      op.responses['429'] = {
        description: 'Rate limit of the key or its tenant exceeded; retry after Retry-After seconds',
        headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
      };
    }
  }
  return document;
}

export interface HttpAppOptions {
  openApi?: { title: string; description: string; version: string };
}

/**
 * Builds a Nest HTTP app the Runtrail way: pino as the logger, our own bounded JSON
 * body handling (Nest's default parser would answer a non-JSON body with 201 and an
 * empty object), HTTP latency metrics, shutdown hooks that drain, and OpenAPI at /openapi.json
 * with a browsable page at /docs.
 */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // SIGTERM: stop accepting, finish what is in flight (Connection: close on it, so keep-alive
  // clients move on), close the microservices, then NATS and Postgres; exit 0 once drained
  // (1 if a hook failed), so a supervisor can tell a clean stop from a kill.
  app.enableShutdownHooks([], { useProcessExit: true });
  drainOnClose(app.getHttpServer());

  const metrics = app.get(Metrics);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const stop = metrics.httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(requireJsonBody, jsonBody, bodyErrorTranslator);
  // Errors raised by the middleware above never reach Nest's filters: answer them here.
  const logger = await app.resolve(PinoLogger);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body, headers } = toErrorResponse(err, logger.logger);
    res.status(status).set(headers).json(body);
  });

  if (options.openApi) {
    const config = new DocumentBuilder()
      .setTitle(options.openApi.title)
      .setDescription(options.openApi.description)
      .setVersion(options.openApi.version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'rt_… API key' })
      .build();
    const document = addRateLimitResponses(SwaggerModule.createDocument(app, config));
    SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  }
  return app;
}
