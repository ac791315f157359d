import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drainOnClose } from './drain-on-close';

describe('drainOnClose', () => {
  let server: Server;
  let release: () => void;
  let port: number;

  beforeEach(async () => {
    const held = new Promise<void>((r) => (release = r));
    server = createServer((req, res) => {
      if (req.url === '/slow') void held.then(() => res.end('done'));
      else res.end('quick');
    });
    drainOnClose(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterEach(() => server.closeAllConnections());

  /** One GET on a keep-alive connection: its status, body and Connection header. */
  function get(path: string): Promise<{ status?: number; body: string; connection?: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path, headers: { connection: 'keep-alive' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode, body, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('answers the request in flight, with Connection: close, and then the server closes', async () => {
    expect((await get('/quick')).connection).toBe('keep-alive');
    const slow = get('/slow');
    await new Promise((r) => setTimeout(r, 50));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    release();
    expect(await slow).toEqual({ status: 200, body: 'done', connection: 'close' });
    await closed;
    expect(server.listening).toBe(false);
  });
});
