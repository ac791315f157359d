import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { freePort } from '@runtrail/testing';
import { HttpClient, RuntrailApiError, RuntrailUnavailableError } from '../src';

const KEY = 'rt_secretsecretsecretsecretsecretsecret00';

/** A real HTTP server answering from a script, recording what it received. */
async function scripted(answers: ((req: IncomingMessage, res: ServerResponse) => void)[]) {
  const seen: { method?: string; auth?: string; body: string }[] = [];
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method, auth: req.headers.authorization, body });
      (answers[Math.min(seen.length - 1, answers.length - 1)])(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => (_: IncomingMessage, res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

describe('HttpClient (real sockets)', () => {
  const policy = { maxAttempts: 4, backoff: { baseMs: 50, capMs: 200, jitter: 'full' as const } };

  it('retries a 503, waiting as long as Retry-After says, then succeeds', async () => {
    const s = await scripted([json(503, { statusCode: 503, message: 'NATS down' }, { 'retry-after': '1' }), json(202, { accepted: 1 })]);
    try {
      const started = Date.now();
      // Retry-After is honoured up to 4x the backoff's cap, so the server cannot stall a client forever.
      const res = await new HttpClient(KEY, { ...policy, backoff: { ...policy.backoff, capMs: 1000 } }).call<{ accepted: number }>('POST', `${s.url}/v1/x`, [{ a: 1 }]);
      expect(res.body).toEqual({ accepted: 1 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(s.seen).toHaveLength(2);
      expect(s.seen[1]).toEqual({ method: 'POST', auth: `Bearer ${KEY}`, body: '[{"a":1}]' });
    } finally {
      await s.close();
    }
  });

  it.each([400, 401, 403, 404, 409, 413])('does not retry a %i, and reports the server’s messages', async (status) => {
    const s = await scripted([json(status, { statusCode: status, message: ['[0].id must be a UUID'] })]);
    try {
      const attempt = new HttpClient(KEY, policy).call('POST', `${s.url}/v1/x`, {});
      await expect(attempt).rejects.toBeInstanceOf(RuntrailApiError);
      await expect(attempt).rejects.toMatchObject({ status, messages: ['[0].id must be a UUID'] });
      expect(s.seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('gives up at the deadline on a server that never answers, without the key in the error', async () => {
    const port = await freePort();
    const sockets: Socket[] = [];
    const silent: TcpServer = createTcpServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(port, '127.0.0.1', r));
    try {
      const started = Date.now();
      const attempt = new HttpClient(KEY, policy).call('POST', `http://127.0.0.1:${port}/v1/x`, {}, { deadline: Date.now() + 700, timeoutMs: 300 });
      await expect(attempt).rejects.toBeInstanceOf(RuntrailUnavailableError);
      await expect(attempt).rejects.not.toThrow(KEY);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('retries a refused connection, then reports it unavailable', async () => {
    const port = await freePort();
    const attempt = new HttpClient(KEY, { maxAttempts: 3, backoff: { baseMs: 10, capMs: 20, jitter: 'full' } }).call('GET', `http://127.0.0.1:${port}/v1/x`);
    await expect(attempt).rejects.toThrow(/Runtrail API unavailable: ECONNREFUSED/);
  });
});
