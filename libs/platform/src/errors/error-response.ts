import { STATUS_CODES } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DomainError } from './domain-errors';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  errorId?: string;
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

const STATUS_BY_KIND: Record<DomainError['kind'], number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'payload-too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  'dependency-unavailable': 503,
};

function body(status: number, message: string | string[]): ErrorBody {
  return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
}

interface HttpLikeError {
  getStatus(): number;
  getResponse(): unknown;
}

function isHttpLike(e: unknown): e is HttpLikeError {
  return typeof e === 'object' && e !== null && 'getStatus' in e && 'getResponse' in e;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
]);

/** A lost or refused connection to a dependency (Postgres, NATS): 503, not 500. */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(message);
}

/**
 * The single mapping from anything thrown to the contract's error body. Known
 * errors keep their message; anything else becomes a 500 with an error id that is
 * logged with the cause, so no stack trace or SQL ever reaches a client.
 */
export function toErrorResponse(error: unknown, log: Pick<Logger, 'error'>): ErrorResponse {
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined) {
      // Whole seconds, at least 1 (RFC 9110 delay-seconds): "0" would invite an immediate retry.
      headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
    const message = error.kind === 'invalid-input' ? error.messages : error.messages.join('; ');
    return { status, body: body(status, message), headers };
  }
  if (isHttpLike(error)) {
    // Nest's own exceptions (unknown route -> 404, and the like).
    const status = error.getStatus();
    if (status < 500) {
      const res = error.getResponse();
      const message =
        typeof res === 'object' && res !== null && 'message' in res
          ? (res as { message: string | string[] }).message
          : String(res);
      return { status, body: body(status, message), headers: {} };
    }
  }
  if (isConnectionError(error)) {
    const status = 503;
    return { status, body: body(status, 'a dependency is unavailable; retry later'), headers: { 'Retry-After': '5' } };
  }
  const errorId = randomUUID();
  log.error({ err: error, errorId }, 'unexpected error');
  return { status: 500, body: { ...body(500, 'internal error'), errorId }, headers: {} };
}
