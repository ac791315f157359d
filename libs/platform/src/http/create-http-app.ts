import type { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { drainOnClose } from './drain-on-close';
import { createExpressApp } from './express-app';
import { createFastifyApp } from './fastify-app';
import type { HttpAdapterKind } from './http-adapter-kind';

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
  /**
   * The HTTP server under Nest: Express (default) or Fastify (the ingest gateway's hot
   * path, ADR 0022). It must match the module's `PlatformModule.forRoot({ http })`.
   */
  http?: HttpAdapterKind;
}

/**
 * Builds a Nest HTTP app the Runtrail way, the same on either server: pino as the
 * logger, our own bounded JSON body handling (Nest's default parser would answer a
 * non-JSON body with 201 and an empty object), HTTP latency metrics, shutdown hooks
 * that drain, and OpenAPI at /openapi.json with a browsable page at /docs. What differs
 * between the servers (how the body handling and metrics are mounted) is in
 * express-app.ts and fastify-app.ts.
 */
export async function createHttpApp(module: Type<unknown>, options: HttpAppOptions = {}): Promise<INestApplication> {
  const app = options.http === 'fastify' ? await createFastifyApp(module) : await createExpressApp(module);
  app.useLogger(app.get(Logger));
  // SIGTERM: stop accepting, finish what is in flight (Connection: close on it, so keep-alive
  // clients move on), close the microservices, then NATS and Postgres; exit 0 once drained
  // (1 if a hook failed), so a supervisor can tell a clean stop from a kill.
  app.enableShutdownHooks([], { useProcessExit: true });
  drainOnClose(app.getHttpServer());

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
