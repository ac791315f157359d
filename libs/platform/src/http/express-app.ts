import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toErrorResponse } from '../errors/error-response';
import { Metrics } from '../metrics/metrics';
import { bodyErrorTranslator, jsonBody, requireJsonBody } from './body-handling';

/**
 * The Express side of createHttpApp: the latency histogram and the body handling as
 * middleware, and an answer for the errors that middleware raises (they never reach
 * Nest's filters). Request logs come from pino-http (PlatformModule).
 */
export async function createExpressApp(module: Type<unknown>): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

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
  const logger = await app.resolve(PinoLogger);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const { status, body, headers } = toErrorResponse(err, logger.logger);
    res.status(status).set(headers).json(body);
  });
  return app;
}
