import type { Server, ServerResponse } from 'node:http';

/**
 * Makes `server.close()` a drain for keep-alive clients too. Node stops accepting
 * connections and closes the idle ones, and the requests in flight finish; but a client
 * that keeps its connection busy would be served on it for ever, and the process never
 * exit. From the close on, every answer not yet started, and every later one, says
 * `Connection: close`, so each connection ends after the answer in hand.
 */
export function drainOnClose(server: Server): void {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const closeAfter = (res: ServerResponse) => {
    if (!res.headersSent) res.setHeader('Connection', 'close');
  };
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) return closeAfter(res);
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  });
  const close = server.close.bind(server);
  server.close = (callback?: (err?: Error) => void) => {
    closing = true;
    inFlight.forEach(closeAfter);
    return close(callback);
  };
}
