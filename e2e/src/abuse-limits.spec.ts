import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import { auditEvent, eventually, request, startTestStack, type HttpAnswer, type TestStack } from '@runtrail/testing';

/**
 * Abuse limits (issue 6) against the running services: rate limits per key and per
 * tenant (429 + Retry-After), the JSON nesting bound, bodies that are not UTF-8 or
 * hold lone surrogates, control characters stored exactly and returned encoded (JSON
 * and CSV), log lines that stay one JSON object each, and the size bounds not covered
 * by the contract specs.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(res: HttpAnswer): number {
  return Number(res.headers.get('retry-after')) * 1000;
}

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super('429');
  }
}

/**
 * A strict RFC 4180 reader: CRLF ends a record, fields may be quoted, and a CR or LF
 * outside quotes is an error. That error is what a cell with a bare line break causes.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c !== '"') cell += c;
      else if (text[i + 1] === '"') {
        cell += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`bare ${JSON.stringify(c)} outside quotes at offset ${i}: ${JSON.stringify(text.slice(i - 40, i + 40))}`);
    } else cell += c;
  }
  if (cell !== '' || row.length) throw new Error('the last record does not end with CRLF');
  return rows;
}

describe('rate limits per key and per tenant (small limits configured)', () => {
  let t: TestStack;
  let acme: string;
  let globex: string;
  let noisy: string[];

  /** Key creation uses the root key, whose own bucket is as small as everyone's here: wait when told to. */
  function createKey(tenantId: string, scopes: string[]): Promise<string> {
    return retry(
      async () => {
        const res = await request<{ key: string }>('POST', `${t.queryUrl}/v1/api-keys`, {
          key: t.adminKey,
          body: { tenantId, name: `key-${tenantId}`, principalType: 'Application', scopes },
        });
        if (res.status === 429) throw new RateLimited(retryAfterMs(res));
        if (res.status !== 201) throw new Error(`key creation failed: ${res.status} ${res.text}`);
        return res.body.key;
      },
      { policy: BACKOFF.client, retryIf: (e) => e instanceof RateLimited, retryAfterMs: (e) => (e as RateLimited).waitMs },
    );
  }

  beforeAll(async () => {
    t = await startTestStack('e2eratelimit', {
      RATE_LIMIT_KEY_PER_SECOND: '1',
      RATE_LIMIT_KEY_BURST: '3',
      RATE_LIMIT_TENANT_PER_SECOND: '1',
      RATE_LIMIT_TENANT_BURST: '5',
    });
    acme = await createKey('acme', ['events:write', 'audit:read']);
    globex = await createKey('globex', ['events:write', 'audit:read']);
    noisy = [];
    for (let i = 0; i < 3; i++) noisy.push(await createKey('noisy', ['events:write']));
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const post = (key: string | undefined) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: auditEvent() });
  const read = (key: string) => request('GET', `${t.queryUrl}/v1/audit?limit=1`, { key });

  async function burst(send: () => Promise<HttpAnswer>, n: number): Promise<HttpAnswer[]> {
    const answers: HttpAnswer[] = [];
    for (let i = 0; i < n; i++) answers.push(await send());
    return answers;
  }

  function expectRefusal(res: HttpAnswer, message: RegExp): void {
    expect(res.status).toBe(429);
    expect(res.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(message) });
    expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
  }

  it.each([
    ['ingest', post],
    ['query', read],
  ] as const)('%s: a burst from one key gets 429 with Retry-After, another tenant gets through at once, and waiting Retry-After is enough', async (_name, send) => {
    const answers = await burst(() => send(acme), 6);
    const statuses = answers.map((a) => a.status);
    expect(statuses.slice(0, 3).every((s) => s >= 200 && s < 300)).toBe(true);
    // A 1/s refill may add one token while the burst runs, no more.
    expect(statuses.filter((s) => s < 300).length).toBeLessThanOrEqual(4);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expectRefusal(r, /^rate limit of this API key exceeded/);

    const other = await send(globex);
    expect(other.status).toBeLessThan(300);

    // Waiting exactly what the server asked for is the behaviour under test.
    await sleep(retryAfterMs(refused[refused.length - 1]));
    expect((await send(acme)).status).toBeLessThan(300);
  });

  it('gives a tenant one share whatever its number of keys, and the other tenant keeps its own', async () => {
    // Tenant burst 5: three from the first key (its own burst) and two from the second use it up.
    const first = await burst(() => post(noisy[0]), 3);
    const second = await burst(() => post(noisy[1]), 2);
    expect([...first, ...second].map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    // The third key's own bucket is full (3), so a 429 within three tries is the tenant's limit.
    const third = await burst(() => post(noisy[2]), 3);
    const refused = third.find((a) => a.status === 429);
    expect(refused).toBeDefined();
    expectRefusal(refused as HttpAnswer, /^rate limit of tenant noisy exceeded/);
    expect((await post(globex)).status).toBe(202);
  });

  it('does not limit unauthenticated calls by key: they are 401, and cost nobody a token', async () => {
    const answers = await burst(() => post('rt_' + 'x'.repeat(40)), 8);
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(401));
    expect((await burst(() => post(undefined), 4)).map((a) => a.status)).toEqual(Array(4).fill(401));
  });

  it('gives the root key its own bucket', async () => {
    // The root key's bucket refills from the key creations; a refill cannot be watched
    // without spending the tokens it brings, so this waits out its 1/s rate.
    await sleep(3000);
    const answers = await burst(() => request('GET', `${t.queryUrl}/v1/api-keys`, { key: t.adminKey }), 6);
    const refused = answers.find((a) => a.status === 429);
    expect(refused).toBeDefined();
    expectRefusal(refused as HttpAnswer, /^rate limit of this API key exceeded/);
    expect((await read(globex)).status).toBe(200);
  });

  it('counts refusals in /metrics per tenant and limit, never naming a key', async () => {
    const metrics = (await request('GET', `${t.ingestUrl}/metrics`)).text;
    expect(metrics).toMatch(/^runtrail_rate_limited_requests_total\{tenant="acme",limit="key",service="ingest"\} [1-9]/m);
    expect(metrics).toMatch(/^runtrail_rate_limited_requests_total\{tenant="noisy",limit="tenant",service="ingest"\} [1-9]/m);
    const query = (await request('GET', `${t.queryUrl}/metrics`)).text;
    expect(query).toMatch(/^runtrail_rate_limited_requests_total\{tenant="_root",limit="key",service="query"\} [1-9]/m);
    for (const secret of [acme, globex, ...noisy, t.adminKey]) {
      expect(metrics).not.toContain(secret);
      expect(query).not.toContain(secret);
    }
  });

  it.each([
    ['ingest', '/v1/audit-events', 'post'],
    ['query', '/v1/audit', 'get'],
    ['query', '/v1/api-keys', 'post'],
  ] as const)('%s documents 429 with Retry-After on %s', async (service, path, method) => {
    const base = service === 'ingest' ? t.ingestUrl : t.queryUrl;
    const doc = await request<{ paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>> }>(
      'GET',
      `${base}/openapi.json`,
    );
    expect(doc.body.paths[path][method].responses['429']).toMatchObject({ headers: { 'Retry-After': expect.any(Object) } });
  });
});

describe('hostile bodies and strings (default limits)', () => {
  let t: TestStack;
  let writer: string;

  beforeAll(async () => {
    // Info level, so every request leaves a log line to check.
    t = await startTestStack('e2ehostile', { LOG_LEVEL: 'info' });
    writer = await t.createKey('acme', ['events:write', 'audit:read']);
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const postRaw = (rawBody: string | Buffer, contentType?: string) =>
    request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, rawBody, contentType });
  const registerRunner = async () => {
    const manager = await t.createKey('acme', ['runners:manage']);
    const res = await request<{ token: string }>('POST', `${t.queryUrl}/v1/runners`, { key: manager, body: { name: 'edge-1', workspaces: ['prod'] } });
    expect(res.status).toBe(201);
    return res.body.token;
  };
  const badRequest = (message: string) => ({ statusCode: 400, error: 'Bad Request', message: [message] });
  const TOO_DEEP = 'body nests deeper than 32 levels';

  async function expectHealthy(): Promise<void> {
    expect((await request('GET', `${t.ingestUrl}/healthz`)).status).toBe(200);
    expect((await request('GET', `${t.ingestUrl}/readyz`)).status).toBe(200);
    expect((await postRaw(JSON.stringify(auditEvent()))).status).toBe(202);
  }

  describe('JSON nesting depth', () => {
    it('answers a 1 MiB [[[[… body with 400 and stays healthy', async () => {
      const half = 512 * 1024;
      const res = await postRaw('['.repeat(half) + ']'.repeat(half));
      expect(res.body).toEqual(badRequest(TOO_DEEP));
      // unbalanced, as an attacker would send it
      expect((await postRaw('['.repeat(1024 * 1024 - 1))).body).toEqual(badRequest(TOO_DEEP));
      await expectHealthy();
    });

    it('answers deep objects at the top level and inside an event with 400, not 500', async () => {
      const deep = (n: number, leaf = '"x"') => '{"a":'.repeat(n) + leaf + '}'.repeat(n);
      expect((await postRaw(deep(100_000))).body).toEqual(badRequest(TOO_DEEP));
      const event = JSON.stringify(auditEvent());
      const withContext = (ctx: string) => event.replace(/"context":\{[^}]*\}/, `"context":${ctx}`);
      expect((await postRaw(withContext(deep(100_000)))).body).toEqual(badRequest(TOO_DEEP));
      expect((await postRaw(`[${withContext(deep(40))}]`)).body).toEqual(badRequest(TOO_DEEP));
      expect((await postRaw(`[{"extra":${'['.repeat(200_000)}${']'.repeat(200_000)}}]`)).body).toEqual(badRequest(TOO_DEEP));
      // Shallow enough: the validators answer, naming the field.
      const shallow = await postRaw(withContext(deep(3)));
      expect(shallow.status).toBe(400);
      expect((shallow.body as { message: string[] }).message[0]).toMatch(/^context/);
      await expectHealthy();
    });

    it('applies on the query service too', async () => {
      const res = await request('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        rawBody: `{"tenantId":"acme","name":"n","principalType":"User","scopes":${'['.repeat(100)}${']'.repeat(100)}}`,
      });
      expect(res.body).toEqual(badRequest(TOO_DEEP));
      expect((await request('GET', `${t.queryUrl}/healthz`)).status).toBe(200);
    });
  });

  describe('bytes and code points', () => {
    it('refuses a body that is not UTF-8 instead of storing U+FFFD', async () => {
      const event = Buffer.from(JSON.stringify(auditEvent({ entityName: 'AB' })));
      const at = event.indexOf('AB');
      event[at] = 0xff; // not a UTF-8 byte
      expect((await postRaw(event)).body).toEqual(badRequest('body is not valid UTF-8'));
    });

    it('refuses a charset other than UTF-8 with 415', async () => {
      const res = await postRaw(Buffer.from(JSON.stringify(auditEvent()), 'utf16le'), 'application/json; charset=utf-16le');
      expect(res.status).toBe(415);
      expect(res.body).toEqual({ statusCode: 415, error: 'Unsupported Media Type', message: 'request body must be UTF-8 JSON' });
    });

    it('refuses lone surrogates (which Postgres cannot store) and accepts escaped pairs', async () => {
      const lone = await postRaw(JSON.stringify(auditEvent({ context: { note: 'x\ud800y' } })));
      expect(lone.status).toBe(400);
      expect((lone.body as { message: string[] }).message[0]).toMatch(/lone surrogate/);
      expect((await postRaw(JSON.stringify(auditEvent({ entityName: '\udfff' })))).status).toBe(400);
      const pair = JSON.stringify(auditEvent({ entityName: 'PAIR' })).replace('PAIR', '\\ud83d\\ude00');
      expect((await postRaw(pair)).status).toBe(202);
    });
  });

  describe('content encodings', () => {
    it('answers a body that does not decode as its Content-Encoding with 400, and takes one that does', async () => {
      const json = JSON.stringify(auditEvent());
      for (const [encoding, url] of [['gzip', `${t.ingestUrl}/v1/audit-events`], ['deflate', `${t.queryUrl}/v1/api-keys`]]) {
        const res = await request('POST', url, { key: encoding === 'gzip' ? writer : t.adminKey, rawBody: json, headers: { 'content-encoding': encoding } });
        expect(res.body).toEqual(badRequest('request body does not match its Content-Encoding'));
      }
      const zipped = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, rawBody: gzipSync(json), headers: { 'content-encoding': 'gzip' } });
      expect(zipped.status).toBe(202);
    });
  });

  describe('control characters', () => {
    const weird = 'line1\r\nline2\rline3\nx\ty\u0001z\u001b[31m red\u001b[0m \u2028\u2029 "q",;\\ \u0085\u000b\u000c é 🎉';
    const marker = `ctl-${randomUUID()}`;
    const events = [
      auditEvent({ entityType: 'Hostile', entityId: marker, entityName: weird, sourceName: weird, sourceId: weird, context: { user_agent: weird, note: weird } }),
      auditEvent({ entityType: 'Hostile', entityId: marker, entityName: 'a\nb', sourceName: 'c\rd' }),
      auditEvent({ entityType: 'Hostile', entityId: marker, entityName: '"quoted"', sourceName: 'comma,separated' }),
    ];
    const fields = ['entityName', 'sourceName', 'sourceId', 'context'] as const;
    let stored: Record<string, unknown>[];
    const storedById = (eventId: unknown): Record<string, unknown> => {
      const r = stored.find((s) => s.eventId === eventId);
      if (!r) throw new Error(`event ${String(eventId)} was not returned`);
      return r;
    };

    beforeAll(async () => {
      const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key: writer, body: events });
      expect(res.status).toBe(202);
      stored = await eventually(async () => {
        const r = await request<Record<string, unknown>[]>('GET', `${t.queryUrl}/v1/audit?entity_id=${marker}&limit=10`, { key: writer });
        return r.body.length === events.length ? r.body : undefined;
      }, 30_000);
    }, 60_000);

    it('stores them exactly and returns them escaped in JSON', async () => {
      for (const e of events) {
        const r = storedById(e.eventId);
        for (const f of fields) if (e[f] !== undefined) expect(r[f]).toEqual(e[f]);
      }
      const raw = await request('GET', `${t.queryUrl}/v1/audit?entity_id=${marker}&limit=10`, { key: writer });
      expect(raw.headers.get('content-type')).toMatch(/^application\/json/);
      // JSON escapes them: no raw control character in the body, CR and LF included.
      // eslint-disable-next-line no-control-regex -- looking for control characters is the point
      expect(raw.text).not.toMatch(/[\u0000-\u001f]/);
      expect(raw.text).toContain('line1\\r\\nline2\\rline3\\nx\\ty\\u0001z\\u001b[31m');
    });

    it('returns them exactly in a JSON download', async () => {
      const res = await request('GET', `${t.queryUrl}/v1/audit?entity_id=${marker}&download=true`, { key: writer });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toEqual(stored);
      // one record per line: the file's own line breaks are only between records
      expect(res.text.split('\n').filter((l) => l.startsWith('{'))).toHaveLength(events.length);
    });

    it('quotes every cell holding a line break in a CSV download, so no record is split', async () => {
      const res = await request('GET', `${t.queryUrl}/v1/audit?entity_id=${marker}&download=true&format=csv`, { key: writer });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
      // the bare LF and bare CR cells, as bytes
      expect(res.text).toContain(',"a\nb",');
      expect(res.text).toContain(',"c\rd",');
      expect(res.text).toContain(',"""quoted""",');
      const [header, ...rows] = parseCsv(res.text);
      expect(rows).toHaveLength(events.length);
      const col = (name: string) => header.indexOf(name);
      for (const e of events) {
        const row = rows.find((r) => r[col('eventId')] === e.eventId) ?? [];
        expect(row).toHaveLength(header.length);
        expect(row[col('entityName')]).toBe(e.entityName);
        expect(row[col('sourceName')]).toBe(e.sourceName);
        expect(JSON.parse(row[col('context')])).toEqual(storedById(e.eventId).context);
      }
    });

    it('never writes a raw line break from input into the logs: every log line is one JSON object', async () => {
      // A filter value with CR/LF reaches the request log as part of the URL.
      const probe = `%0D%0Ainjected-${randomUUID()}`;
      expect((await request('GET', `${t.queryUrl}/v1/audit?entity_id=${probe}`, { key: writer })).status).toBeLessThan(500);
      await eventually(async () => (t.stack.services.query.output.includes(probe.slice(6)) ? true : undefined), 5_000, 'the request log line');
      for (const service of Object.values(t.stack.services)) {
        const lines = service.output.split('\n').filter((l) => l.trim() !== '');
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          expect(() => JSON.parse(line)).not.toThrow();
          expect(line).not.toContain('\r');
        }
      }
      const logged = t.stack.services.query.output.split('\n').find((l) => l.includes(probe.slice(6)));
      expect(logged).toContain(probe);
    });
  });

  describe('bounds not covered elsewhere', () => {
    it.each(['/v1/action-runs', '/v1/deployments', '/v1/commands', '/v1/k8s/audit'])('%s bounds limit to 1..1000', async (path) => {
      for (const limit of ['0', '1001', '-1', '1e3']) {
        const res = await request('GET', `${t.queryUrl}${path}?limit=${limit}`, { key: writer });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ message: [expect.stringMatching(/^limit must be an integer from 1 to 1000/)] });
      }
      expect((await request('GET', `${t.queryUrl}${path}?limit=1000`, { key: writer })).status).toBe(200);
    });

    it('answers 413 on the action-runs endpoint and on the query service', async () => {
      const big = 'x'.repeat(1024 * 1024);
      const runs = await request('POST', `${t.ingestUrl}/v1/action-runs`, { key: writer, body: { id: randomUUID(), hostname: big } });
      expect(runs.status).toBe(413);
      const keys = await request('POST', `${t.queryUrl}/v1/api-keys`, {
        key: t.adminKey,
        body: { tenantId: 'acme', name: big, principalType: 'User', scopes: ['audit:read'] },
      });
      expect(keys.status).toBe(413);
      expect(keys.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    });

    it.each(['/v1/commands/{id}', '/v1/runner-session'])('%s takes no query parameters (400, like an unknown filter)', async (path) => {
      const url = `${t.queryUrl}${path.replace('{id}', randomUUID())}?bogus=1`;
      const key = path.includes('session') ? await registerRunner() : writer;
      const res = await request<{ message: string[] }>('GET', url, { key });
      expect(res.status).toBe(400);
      expect(res.body.message).toEqual(['bogus is not a known query parameter']);
    });

    it('refuses a batch of 1001 action runs', async () => {
      const run = { workspace: { name: 'w' }, block: { name: 'b' }, action: 'a', status: 'running', startedAt: new Date().toISOString() };
      const res = await request('POST', `${t.ingestUrl}/v1/action-runs`, {
        key: writer,
        body: Array.from({ length: 1001 }, () => ({ ...run, id: randomUUID() })),
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: ['body must be one object or an array of 1 to 1000 objects'] });
    });
  });
});
