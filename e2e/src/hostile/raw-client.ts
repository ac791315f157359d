import http from 'node:http';
import net from 'node:net';

/** A request as sent, byte for byte: nothing is normalised or encoded on the way. */
export interface RawRequest {
  method: string;
  /** Path and query string, already percent-encoded as the test wants them on the wire (ASCII). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
}

/**
 * A small HTTP/1.1 client over keep-alive sockets. `fetch` would refuse half of what
 * this suite sends (raw bytes in paths, odd header values, bodies on GET), and
 * re-encodes URLs; `http.request` with a literal `path` sends them as given.
 */
export class RawClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  readonly host: string;
  readonly port: number;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  send(req: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      const names = Object.keys(headers).map((h) => h.toLowerCase());
      if (req.body !== undefined && !names.includes('content-length') && !names.includes('transfer-encoding')) {
        headers['content-length'] = String(req.body.length);
      }
      const r = http.request(
        { host: this.host, port: this.port, method: req.method, path: req.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text: body.toString('utf8') });
          });
        },
      );
      r.setTimeout(timeoutMs, () => r.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      r.on('error', reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface SocketAnswer {
  /** The status of the first response line, or what happened instead. */
  status: number | 'closed' | 'timeout';
  text: string;
}

/**
 * Writes raw bytes on a fresh connection and reads what comes back: for requests no
 * HTTP client library would send (NUL in a header, bare LF, bogus chunk sizes,
 * conflicting lengths). The client half-closes only once the server has been quiet
 * for `idleMs` (a request still waiting for body bytes then sees the end of input).
 */
export function sendOnSocket(host: string, port: number, bytes: Buffer, timeoutMs = 3_000, idleMs = 400): Promise<SocketAnswer> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let settled = false;
    let idle: NodeJS.Timeout | undefined;
    const quiet = () => {
      clearTimeout(idle);
      idle = setTimeout(() => socket.end(), idleMs);
    };
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(idle);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : timedOut ? 'timeout' : 'closed', text });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('connect', () => {
      socket.write(bytes);
      quiet();
    });
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      quiet();
    });
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', () => finish(false));
  });
}
