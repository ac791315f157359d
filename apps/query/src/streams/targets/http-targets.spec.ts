import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@runtrail/contracts';
import { DeliveryError } from './delivery-target';
import { postDelivery } from './http-delivery';
import { SlackTarget, slackLine } from './slack-target';
import { SplunkHecTarget } from './splunk-hec-target';
import { WebhookTarget } from './webhook-target';
import { auditRecord } from '../../../test/fixtures';

const record = auditRecord;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request; the default answers 200. */
type Answer = (res: ServerResponse, req: Received) => void;
const OK: Answer = (res) => res.end('ok');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('HTTP delivery targets', () => {
  let server: Server;
  let base: URL;
  let received: Received[];
  let answer: Answer;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const r: Received = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        received.push(r);
        // No keep-alive: each test's requests on their own connections, none reused after afterEach cut it.
        res.setHeader('connection', 'close');
        answer(res, r);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  beforeEach(() => {
    received = [];
    answer = OK;
  });

  afterEach(() => {
    // A request the receiver never answered stays open otherwise.
    server.closeAllConnections();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const at = (path: string) => new URL(path, base);

  describe('WebhookTarget', () => {
    it('POSTs the records as one JSON array to the URL as given', async () => {
      const records = [record({ id: 1 }), record({ id: 2, success: false })];
      await new WebhookTarget(at('/hooks/runtrail?x=1'), 'whsec', 5000).send(records);

      expect(received).toHaveLength(1);
      const [req] = received;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/hooks/runtrail?x=1');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['user-agent']).toBe('runtrail-stream');
      expect(JSON.parse(req.body)).toEqual(records);
    });

    it('gives each request a new Runtrail-Delivery UUID', async () => {
      const target = new WebhookTarget(at('/hooks'), 'whsec', 5000);
      await target.send([record()]);
      await target.send([record()]);
      const ids = received.map((r) => r.headers['runtrail-delivery']);
      expect(ids[0]).toMatch(UUID);
      expect(ids[1]).toMatch(UUID);
      expect(ids[0]).not.toBe(ids[1]);
    });

    it('signs the body: t=<unix seconds>,v1=<HMAC-SHA256(secret, "<t>.<body>")>', async () => {
      const now = Date.parse('2026-03-01T10:15:30.900Z');
      await new WebhookTarget(at('/hooks'), 'whsec_test', 5000, () => now).send([record()]);
      const [req] = received;
      const signature = req.headers['runtrail-signature'] as string;
      const t = Math.floor(now / 1000);
      const mac = createHmac('sha256', 'whsec_test').update(`${t}.${req.body}`).digest('hex');
      expect(signature).toBe(`t=${t},v1=${mac}`);
    });

    it('sends a signature the receiver verifies with the secret, and only with it and that body', async () => {
      await new WebhookTarget(at('/hooks'), 'whsec_test', 5000).send([record()]);
      const [req] = received;
      const signature = req.headers['runtrail-signature'] as string;
      expect(verifyWebhookSignature('whsec_test', signature, req.body)).toBe(true);
      expect(verifyWebhookSignature('whsec_other', signature, req.body)).toBe(false);
      expect(verifyWebhookSignature('whsec_test', signature, req.body.replace('"success":true', '"success":false'))).toBe(false);
      expect(verifyWebhookSignature('whsec_test', signature, `${req.body} `)).toBe(false);
    });
  });

  describe('SplunkHecTarget', () => {
    it('takes /services/collector/event when the URL names only the server', async () => {
      await new SplunkHecTarget(base, 'hec-token', 5000).send([record()]);
      await new SplunkHecTarget(at('/'), 'hec-token', 5000).send([record()]);
      expect(received.map((r) => r.path)).toEqual(['/services/collector/event', '/services/collector/event']);
    });

    it('keeps a path the URL gives, and does not change the URL it was given', async () => {
      const url = at('/services/collector/raw?channel=abc');
      await new SplunkHecTarget(url, 'hec-token', 5000).send([record()]);
      expect(received[0].path).toBe('/services/collector/raw?channel=abc');

      const bare = new URL(base);
      new SplunkHecTarget(bare, 'hec-token', 5000);
      expect(bare.pathname).toBe('/');
    });

    it('authorizes with "Splunk <token>" and sends one HEC event object per record', async () => {
      const records = [record({ id: 1, happenedAt: '2026-03-01T10:15:30.000Z' }), record({ id: 2, happenedAt: '2026-03-01T10:15:31.250Z', success: false })];
      await new SplunkHecTarget(base, 'hec-token', 5000).send(records);

      const [req] = received;
      expect(req.method).toBe('POST');
      expect(req.headers.authorization).toBe('Splunk hec-token');
      expect(req.headers['content-type']).toBe('application/json');
      const events = req.body.split('\n').map((line) => JSON.parse(line) as unknown);
      expect(events).toEqual([
        { time: 1772360130, source: 'runtrail', sourcetype: 'runtrail:audit', event: records[0] },
        { time: 1772360131.25, source: 'runtrail', sourcetype: 'runtrail:audit', event: records[1] },
      ]);
    });

    it('keeps one event per line when a record holds a newline', async () => {
      const r = record({ entityName: 'two\nlines' });
      await new SplunkHecTarget(base, 'hec-token', 5000).send([r, r]);
      expect(received[0].body.split('\n')).toHaveLength(2);
    });
  });

  describe('SlackTarget', () => {
    it('POSTs {text} with one readable line per record', async () => {
      const records = [
        record({ id: 1, action: 'user.login', entityType: 'User', entityName: 'Ada' }),
        record({ id: 2, action: 'run.failed', entityType: 'ActionRun', entityName: null, entityId: 'r-9', success: false, sourceName: 'ci', sourceType: 'Application' }),
        record({ id: 3, action: 'cache.flush', entityType: 'Cache', entityName: null, entityId: null }),
      ];
      await new SlackTarget(at('/services/T0/B0/x'), 5000).send(records);

      const [req] = received;
      expect(req.path).toBe('/services/T0/B0/x');
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body)).toEqual({
        text: [
          ':white_check_mark: user.login User "Ada" by Ada Lovelace (User) at 2026-03-01T10:15:30.000Z [acme #1]',
          ':x: run.failed ActionRun r-9 by ci (Application) at 2026-03-01T10:15:30.000Z [acme #2]',
          ':white_check_mark: cache.flush Cache by Ada Lovelace (User) at 2026-03-01T10:15:30.000Z [acme #3]',
        ].join('\n'),
      });
    });

    it('escapes <, > and & so a record cannot mention or link in the channel', () => {
      const line = slackLine(record({ entityName: '<!channel> & <https://evil.example|click>', sourceName: 'a>b' }));
      expect(line).toBe(':white_check_mark: user.login User "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;" by a&gt;b (User) at 2026-03-01T10:15:30.000Z [acme #42000]');
      expect(line).not.toMatch(/[<>]/);
    });

    it('does not escape twice', () => {
      expect(slackLine(record({ entityName: '&lt;' }))).toContain('"&amp;lt;"');
    });
  });

  describe('postDelivery', () => {
    const deliver = (path: string, timeoutMs = 5000) => postDelivery({ url: at(path), headers: { 'content-type': 'application/json' }, body: '[]', timeoutMs });

    it.each([200, 201, 202, 204])('resolves on %i', async (status) => {
      answer = (res) => res.writeHead(status).end();
      await expect(deliver('/in')).resolves.toBeUndefined();
    });

    it('rejects a non-2xx answer with its status and the start of its body, whitespace folded', async () => {
      answer = (res) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`Internal\n   error: ${'x'.repeat(500)}`);
      const delivering = deliver('/in');
      await expect(delivering).rejects.toThrow(DeliveryError);
      const err = (await delivering.catch((e: unknown) => e)) as DeliveryError;
      const expectedBody = `Internal error: ${'x'.repeat(500)}`.slice(0, 200);
      expect(err.message).toBe(`${base.host} answered 500: ${expectedBody}`);
      expect(err.retryAfterMs).toBeUndefined();
    });

    it('rejects a non-2xx answer without a body with the status alone', async () => {
      answer = (res) => res.writeHead(403).end();
      await expect(deliver('/in')).rejects.toThrow(new DeliveryError(`${base.host} answered 403`));
    });

    it('carries Retry-After in seconds of a 429 as retryAfterMs', async () => {
      answer = (res) => res.writeHead(429, { 'retry-after': '3' }).end('slow down');
      const err = (await deliver('/in').catch((e: unknown) => e)) as DeliveryError;
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err.message).toBe(`${base.host} answered 429: slow down`);
      expect(err.retryAfterMs).toBe(3000);
    });

    it.each(['0', 'Thu, 01 Jan 2015 00:00:00 GMT', '-1'])('leaves a Retry-After of %j (no wait at all, or unreadable) to the backoff', async (header) => {
      answer = (res) => res.writeHead(429, { 'retry-after': header }).end();
      const err = (await deliver('/in').catch((e: unknown) => e)) as DeliveryError;
      expect(err).toBeInstanceOf(DeliveryError);
      expect(err.retryAfterMs).toBeUndefined();
    });

    it('carries Retry-After as an HTTP date of a 503 as the milliseconds until then', async () => {
      const until = Date.now() + 60_000;
      answer = (res) => res.writeHead(503, { 'retry-after': new Date(until).toUTCString() }).end();
      const err = (await deliver('/in').catch((e: unknown) => e)) as DeliveryError;
      expect(err).toBeInstanceOf(DeliveryError);
      // The HTTP date has whole seconds: up to a second earlier than asked, less the time the request took.
      expect(err.retryAfterMs).toBeGreaterThan(55_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('rejects when the receiver does not answer within timeoutMs', async () => {
      answer = () => undefined;
      const started = Date.now();
      await expect(deliver('/in', 200)).rejects.toThrow(new DeliveryError(`${base.host}: no answer within 200 ms`));
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('counts a redirect as a failure and does not follow it', async () => {
      answer = (res, req) => (req.path === '/in' ? res.writeHead(302, { location: '/elsewhere' }).end() : res.writeHead(200).end());
      await expect(deliver('/in')).rejects.toThrow(new DeliveryError(`${base.host} answered 302`));
      expect(received.map((r) => r.path)).toEqual(['/in']);
    });

    it('rejects a refused connection with the host and the error code', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
      const port = (closed.address() as AddressInfo).port;
      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const delivering = postDelivery({ url: new URL(`http://127.0.0.1:${port}/in`), headers: {}, body: '[]', timeoutMs: 5000 });
      await expect(delivering).rejects.toThrow(DeliveryError);
      await expect(delivering).rejects.toThrow(`127.0.0.1:${port}: ECONNREFUSED`);
    });

    it('sends the headers given, with its user agent', async () => {
      await postDelivery({ url: at('/in'), headers: { 'x-extra': 'yes' }, body: 'payload', timeoutMs: 5000 });
      expect(received[0]).toMatchObject({ method: 'POST', body: 'payload', headers: { 'x-extra': 'yes', 'user-agent': 'runtrail-stream' } });
    });
  });
});
