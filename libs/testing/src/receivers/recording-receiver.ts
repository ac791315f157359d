import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

/** What a receiver took from one request: the records' ids in the order they came, or why it refused the request. */
export interface ReceivedRecord {
  id: number;
  eventId: string;
  entityType: string;
  action: string;
  success: boolean;
  [field: string]: unknown;
}

/** How a receiver reads a request: the records it holds, or an answer refusing it (status and body). */
export type ReadRequest = (req: IncomingMessage, body: string) => { records: ReceivedRecord[]; texts?: string[] } | { refuse: number; body: string };

/** A failure the test makes the receiver answer with, for a while. */
export interface Outage {
  status: number;
  retryAfterSeconds?: number;
}

/**
 * An HTTP receiver on a loopback port that records what a stream delivers, request by request,
 * and can be made to fail (`fail`) until `recover` is called. Each protocol (webhook, HEC,
 * Slack) brings its own `read`, which checks what that protocol requires.
 */
export class RecordingReceiver {
  readonly records: ReceivedRecord[] = [];
  /** What a text protocol (Slack) delivered, a line per record. */
  readonly texts: string[] = [];
  /** Requests refused because they broke the protocol (a bad signature, a missing token): a test expects none. */
  readonly refused: string[] = [];
  requests = 0;
  /** Requests answered with the outage's status. */
  failedRequests = 0;
  private outage?: Outage;
  /** Request numbers (1 for the first request) answered with an outage once, whatever else holds. */
  private readonly failing = new Map<number, Outage>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly okBody: string,
  ) {}

  /** `path` is appended to the URL handed out; `okBody` is what a request that was taken is answered. */
  static async start(read: ReadRequest, path = '/', okBody = '{"ok":true}'): Promise<RecordingReceiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const receiver = new RecordingReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, okBody);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void receiver.handle(read, req, res));
    return receiver;
  }

  /** Answers every request with `outage` until `recover`. */
  fail(outage: Outage): void {
    this.outage = outage;
  }

  recover(): void {
    this.outage = undefined;
  }

  /** Answers the `n`th request from the start (1 for the first) with `outage`, once. */
  failRequest(n: number, outage: Outage): void {
    this.failing.set(n, outage);
  }

  /** The event ids in the order they arrived, first arrivals only. */
  distinctEventIds(): string[] {
    return [...new Set(this.records.map((r) => r.eventId))];
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  private async handle(read: ReadRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.requests++;
    const outage = this.outage ?? this.failing.get(this.requests);
    if (outage) {
      this.failedRequests++;
      const headers = outage.retryAfterSeconds === undefined ? {} : { 'retry-after': String(outage.retryAfterSeconds) };
      res.writeHead(outage.status, headers).end('receiver unavailable');
      return;
    }
    const outcome = read(req, Buffer.concat(chunks).toString('utf8'));
    if ('refuse' in outcome) {
      this.refused.push(outcome.body);
      res.writeHead(outcome.refuse, { 'content-type': 'application/json' }).end(outcome.body);
      return;
    }
    this.records.push(...outcome.records);
    this.texts.push(...(outcome.texts ?? []));
    res.writeHead(200, { 'content-type': 'application/json' }).end(this.okBody);
  }
}
