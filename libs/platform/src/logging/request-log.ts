import { redactUrl } from './redact-url';

/** Paths whose requests are not logged: probes and scrapes would drown the rest. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export function isQuietPath(url: string): boolean {
  const q = url.indexOf('?');
  return QUIET_PATHS.has(q < 0 ? url : url.slice(0, q));
}

/**
 * What a request log line says about the request, whichever server logs it (pino-http
 * under Express, a Fastify hook in fastify-app.ts). Query strings hold cursors and
 * filters, and one secret: the viewer token of the console's embed page (`?token=`),
 * which is redacted. Headers and bodies are not logged.
 */
export function requestLogFields(req: { id: unknown; method?: string; url?: string }): { id: unknown; method?: string; url: string } {
  return { id: req.id, method: req.method, url: redactUrl(req.url ?? '') };
}
