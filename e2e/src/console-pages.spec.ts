import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, request, startTestStack, writeFakeConsole, type FakeConsole, type TestStack } from '@runtrail/testing';

const CSP = (frameAncestors: string) =>
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  `base-uri 'none'; form-action 'self'; frame-ancestors ${frameAncestors}`;

/** The console's pages and files, served by the query service (docs/api.md#console-pages), over a fake build. */
describe('console pages', () => {
  let fake: FakeConsole;
  let t: TestStack;

  beforeAll(async () => {
    fake = writeFakeConsole();
    writeFileSync(join(fake.dir, 'assets', 'index-3f9a1c.css'), 'body { margin: 0 }');
    writeFileSync(join(fake.dir, 'not-an-asset.txt'), 'outside assets/');
    t = await startTestStack('e2econsole', { CONSOLE_DIR: fake.dir, EMBED_FRAME_ANCESTORS: "'self' https://app.example.com", LOG_LEVEL: 'info' });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
    fake?.remove();
  });

  const get = (path: string) => request('GET', `${t.queryUrl}${path}`);
  const strictHeaders = (csp = CSP("'none'")) => ({ 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
  const headersOf = (res: { headers: Headers }, names: string[]) => Object.fromEntries(names.map((n) => [n, res.headers.get(n)]));

  it.each(['/', '/timeline', '/runs', '/runs/0d7e3c55-6f1a-4b8e-9c2d-1a2b3c4d5e6f', '/insights', '/deployments', '/runners', '/keys', '/streams', '/retention', '/timeline?q=action%3ADelete&range=24h&cursor=abc'])(
    'serves index.html at %s, never cached without asking, and never framed',
    async (path) => {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe(fake.indexHtml);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(headersOf(res, ['content-security-policy', 'x-content-type-options', 'referrer-policy'])).toEqual(strictHeaders());
    },
  );

  it('lets the sites of EMBED_FRAME_ANCESTORS frame /embed, and only /embed', async () => {
    const res = await get('/embed?token=rtv_x');
    expect(res.status).toBe(200);
    expect(res.text).toBe(fake.indexHtml);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(headersOf(res, ['content-security-policy', 'x-content-type-options', 'referrer-policy'])).toEqual(strictHeaders(CSP("'self' https://app.example.com")));
  });

  it('serves the hashed files for a year, with their types', async () => {
    const js = await get(fake.scriptPath);
    expect(js.status).toBe(200);
    expect(js.text).toBe(fake.script);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(headersOf(js, ['content-security-policy', 'x-content-type-options', 'referrer-policy'])).toEqual(strictHeaders());
    const css = await get('/assets/index-3f9a1c.css');
    expect([css.status, css.headers.get('content-type')]).toEqual([200, 'text/css; charset=utf-8']);
  });

  it('answers a missing file, or a path out of assets/, with the usual 404 JSON, not cached', async () => {
    for (const path of ['/assets/index-000000.js', '/assets/', '/assets/%2e%2e/not-an-asset.txt', '/assets/..%2fnot-an-asset.txt', '/assets/%2e%2e%2fnot-an-asset.txt']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(res.text).not.toContain('outside assets/');
      expect(res.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
    }
  });

  it('has no catch-all: any other path is the usual 404 JSON, without the console headers', async () => {
    for (const path of ['/nope', '/runs/a/b', '/timeline/extra', '/index.html', '/not-an-asset.txt', '/embed/x']) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(res.headers.get('content-security-policy')).toBeNull();
    }
    expect((await request('POST', `${t.queryUrl}/timeline`, { body: {} })).status).toBe(404);
  });

  it('keeps the strict policy off the API and off /docs, whose Swagger UI needs its own', async () => {
    for (const path of ['/docs', '/openapi.json', '/healthz', '/v1/whoami']) {
      const res = await get(path);
      expect([path, res.headers.get('content-security-policy')]).toEqual([path, null]);
    }
    const docs = await get('/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger/i);
  });

  it('leaves the pages out of the OpenAPI document', async () => {
    const doc = await request<{ paths: Record<string, unknown> }>('GET', `${t.queryUrl}/openapi.json`);
    expect(Object.keys(doc.body.paths).filter((p) => !p.startsWith('/v1/'))).toEqual([]);
  });

  it("links a viewer token to its embed page, and keeps the token out of the service's logs", async () => {
    const created = await request<{ url: string; token: string }>('POST', `${t.queryUrl}/v1/viewer-tokens`, { key: t.adminKey, body: { tenantId: 'acme' } });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`${t.queryUrl}/embed?token=${created.body.token}`);
    const page = await request('GET', created.body.url);
    expect([page.status, page.text]).toEqual([200, fake.indexHtml]);
    const query = t.stack.services.query;
    await eventually(async () => (query.output.includes('/embed?token=[redacted]') ? true : undefined), 5_000, 'the request log line');
    expect(query.output).not.toContain(created.body.token.slice(4));
  });
});

describe('console pages, console not built', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack('e2enoconsole', { CONSOLE_DIR: join(tmpdir(), `runtrail-no-console-${process.pid}-${Date.now()}`) });
  }, 60_000);

  afterAll(async () => {
    await t?.stop();
  });

  it('answers every console route 503 with a JSON error that says to run npm run build', async () => {
    for (const path of ['/', '/timeline', '/runs/x', '/embed', '/assets/index-3f9a1c.js']) {
      const res = await request<{ statusCode: number; message: string }>('GET', `${t.queryUrl}${path}`);
      expect([path, res.status]).toEqual([path, 503]);
      expect(res.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('npm run build') });
      expect(res.headers.get('cache-control') ?? '').not.toMatch(/immutable/);
    }
  });

  it('frames /embed by anyone by default (EMBED_FRAME_ANCESTORS *)', async () => {
    const res = await request('GET', `${t.queryUrl}/embed`);
    expect(res.headers.get('content-security-policy')).toBe(CSP('*'));
  });

  it('still serves the API', async () => {
    expect((await request('GET', `${t.queryUrl}/v1/whoami`, { key: t.adminKey })).status).toBe(200);
  });
});
