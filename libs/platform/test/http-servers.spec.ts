import { Body, Controller, Get, Global, HttpCode, Injectable, Module, Post, type INestApplication } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createHttpApp } from '../src/http/create-http-app';
import type { HttpAdapterKind } from '../src/http/http-adapter-kind';
import { DependencyUnavailableError, RateLimitedError } from '../src/errors/domain-errors';
import type { ReadinessCheck } from '../src/health/readiness';
import { PlatformModule } from '../src/platform.module';

/**
 * createHttpApp under Express and under Fastify (ADR 0022): the same module, the same
 * requests, the same answers, byte for byte where the contract speaks (status, error
 * body, Retry-After, Content-Type), and the same latency metric.
 */

@Injectable()
class DownCheck implements ReadinessCheck {
  readonly name = 'down';
  isReady(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

@Global()
@Module({ providers: [DownCheck], exports: [DownCheck] })
class ChecksModule {}

@Controller('v1')
class EchoController {
  @Post('echo')
  @HttpCode(202)
  echo(@Body() body: unknown): { body: unknown } {
    return { body: body ?? null };
  }

  @Get('limited')
  limited(): never {
    throw new RateLimitedError('rate limit of this API key exceeded', 1.5);
  }

  @Get('down')
  down(): never {
    throw new DependencyUnavailableError('event store (NATS) is unreachable; retry later');
  }

  @Get('boom')
  boom(): never {
    throw new Error('relation "secret" does not exist');
  }
}

function moduleFor(http: HttpAdapterKind) {
  @Module({
    imports: [ChecksModule, PlatformModule.forRoot({ service: `edge-${http}`, logLevel: 'silent', readinessChecks: [DownCheck], http })],
    controllers: [EchoController],
  })
  class EdgeModule {}
  return EdgeModule;
}

interface RawAnswer {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

/** One request with exactly these headers and bytes (fetch would add or refuse some). */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<RawAnswer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          headers: { 'content-type': res.headers['content-type'], 'retry-after': res.headers['retry-after'] as string | undefined },
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (text: string) => Buffer.from(text, 'utf8');
const EVENT = '{"action":"Update","n":1}';

/** name, method, path, headers, body */
const CASES: [string, string, string, Record<string, string>, Buffer | undefined][] = [
  ['a JSON object', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json(EVENT)],
  ['a JSON array with a charset', 'POST', '/v1/echo', { 'content-type': 'application/json; charset=utf-8' }, json(`[${EVENT}]`)],
  ['a +json type', 'POST', '/v1/echo', { 'content-type': 'application/vnd.runtrail+json' }, json(EVENT)],
  ['upper-case JSON type', 'POST', '/v1/echo', { 'content-type': 'APPLICATION/JSON' }, json(EVENT)],
  ['no body', 'POST', '/v1/echo', {}, undefined],
  ['text/plain', 'POST', '/v1/echo', { 'content-type': 'text/plain' }, json(EVENT)],
  ['no content type', 'POST', '/v1/echo', { 'content-length': String(EVENT.length) }, json(EVENT)],
  ['a malformed content type', 'POST', '/v1/echo', { 'content-type': 'json' }, json(EVENT)],
  ['*/*', 'POST', '/v1/echo', { 'content-type': '*/*' }, json(EVENT)],
  ['latin1', 'POST', '/v1/echo', { 'content-type': 'application/json; charset=latin1' }, json(EVENT)],
  ['utf-16', 'POST', '/v1/echo', { 'content-type': 'application/json; charset=utf-16' }, json(EVENT)],
  ['gzip', 'POST', '/v1/echo', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json(EVENT))],
  ['labelled gzip, not compressed', 'POST', '/v1/echo', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, json(EVENT)],
  ['an unknown encoding', 'POST', '/v1/echo', { 'content-type': 'application/json', 'content-encoding': 'zstd2' }, json(EVENT)],
  ['over 1 MiB', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json(`"${'x'.repeat(1024 * 1024)}"`)],
  ['malformed JSON', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json('{"a":')],
  ['trailing garbage', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json(`${EVENT}x`)],
  ['invalid UTF-8', 'POST', '/v1/echo', { 'content-type': 'application/json' }, Buffer.from([0x22, 0xff, 0x22])],
  ['nesting 33 deep', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json('['.repeat(33) + ']'.repeat(33))],
  ['an empty JSON body', 'POST', '/v1/echo', { 'content-type': 'application/json', 'content-length': '0' }, undefined],
  ['a scalar', 'POST', '/v1/echo', { 'content-type': 'application/json' }, json('"x"')],
  ['a trailing slash', 'POST', '/v1/echo/', { 'content-type': 'application/json' }, json(EVENT)],
  ['an upper-case path', 'POST', '/V1/ECHO', { 'content-type': 'application/json' }, json(EVENT)],
  ['an unknown route', 'GET', '/nope', {}, undefined],
  ['a wrong method', 'DELETE', '/v1/echo', {}, undefined],
  ['a rate-limited call', 'GET', '/v1/limited', {}, undefined],
  ['a dependency down', 'GET', '/v1/down', {}, undefined],
  ['/healthz', 'GET', '/healthz', {}, undefined],
  ['/readyz with a check down', 'GET', '/readyz', {}, undefined],
];

describe('createHttpApp under Express and Fastify', () => {
  const apps: Partial<Record<HttpAdapterKind, { app: INestApplication; base: string }>> = {};

  beforeAll(async () => {
    for (const http of ['express', 'fastify'] as const) {
      const app = await createHttpApp(moduleFor(http), { http });
      await app.listen(0, '127.0.0.1');
      apps[http] = { app, base: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
    }
  });

  afterAll(async () => {
    for (const a of Object.values(apps)) await a?.app.close();
  });

  it.each(CASES)('answers %s alike', async (_name, method, path, headers, body) => {
    const express = await send(apps.express!.base, method, path, headers, body);
    const fastify = await send(apps.fastify!.base, method, path, headers, body);
    expect(fastify).toEqual(express);
  });

  it('answers what the contract says, on both', async () => {
    for (const http of ['express', 'fastify'] as const) {
      const base = apps[http]!.base;
      const post = (headers: Record<string, string>, body?: Buffer) => send(base, 'POST', '/v1/echo', headers, body);
      expect(await post({ 'content-type': 'application/json' }, json(EVENT))).toMatchObject({ status: 202, body: `{"body":${EVENT}}` });
      expect((await post({ 'content-type': 'text/plain' }, json(EVENT))).status).toBe(415);
      expect((await post({ 'content-type': 'json' }, json(EVENT))).body).toBe(
        '{"statusCode":415,"error":"Unsupported Media Type","message":"request body must be application/json"}',
      );
      expect((await post({ 'content-type': 'application/json' }, json(`"${'x'.repeat(1024 * 1024)}"`))).status).toBe(413);
      expect((await post({ 'content-type': 'application/json' }, json('{"a":'))).body).toBe(
        '{"statusCode":400,"error":"Bad Request","message":["body is not valid JSON"]}',
      );
      expect(await send(base, 'GET', '/v1/limited')).toMatchObject({ status: 429, headers: { 'retry-after': '2' } });
      expect(await send(base, 'GET', '/readyz')).toMatchObject({ status: 503, headers: { 'retry-after': '5' } });
    }
  });

  it('answers an unexpected error with a bare 500 and an error id, on both', async () => {
    for (const http of ['express', 'fastify'] as const) {
      const res = await send(apps[http]!.base, 'GET', '/v1/boom');
      expect(res.status).toBe(500);
      expect(JSON.parse(res.body)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error', errorId: expect.any(String) });
      expect(res.body).not.toMatch(/secret|at /);
    }
  });

  it('records request latency by route pattern and status, and serves it as Prometheus text, on both', async () => {
    for (const http of ['express', 'fastify'] as const) {
      const base = apps[http]!.base;
      await send(base, 'POST', '/v1/echo', { 'content-type': 'application/json' }, json(EVENT));
      await send(base, 'GET', '/nope');
      const metrics = await send(base, 'GET', '/metrics');
      expect(metrics.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
      expect(metrics.body).toContain(`runtrail_http_request_duration_seconds_count{service="edge-${http}",method="POST",route="/v1/echo",status="202"} `);
      // An unknown path has no route pattern (Express files it under Nest's catch-all `/{*path}`).
      expect(metrics.body).toMatch(new RegExp(`runtrail_http_request_duration_seconds_count\\{service="edge-${http}",method="GET",route="(unmatched|/\\{\\*path\\})",status="404"\\} `));
    }
  });
});
