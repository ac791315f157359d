import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { PayloadTooLargeError, InvalidInputError, UnsupportedMediaTypeError } from '../errors/domain-errors';
import { scanJsonBody } from './json-body-scan';

export const MAX_BODY_BYTES = 1024 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** 415 for a body that is not declared as JSON, before anything parses it. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (BODY_METHODS.has(req.method) && hasBody && !req.is(['application/json', 'application/*+json'])) {
    next(new UnsupportedMediaTypeError());
    return;
  }
  next();
};

/** An error body-parser passes on from `verify`, keeping our `type`. */
function bodyRefusal(type: string, message: string): Error {
  return Object.assign(new Error(message), { type });
}

/**
 * Runs on the raw bytes after the size limit and before JSON.parse (body-parser's
 * `verify` hook): UTF-8 only (RFC 8259 §8.1; body-parser would take any `utf-*`
 * charset, and would turn invalid bytes into U+FFFD), no nesting deeper than MAX_JSON_DEPTH.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, buf: Buffer, encoding: string): void {
  if (!/^utf-?8$/i.test(encoding)) throw bodyRefusal('charset.unsupported', `unsupported charset ${encoding}`);
  const problem = scanJsonBody(buf);
  switch (problem?.kind) {
    case undefined:
      return;
    case 'not-utf8':
      throw bodyRefusal('entity.not.utf8', 'body is not valid UTF-8');
    case 'too-deep':
      throw bodyRefusal('entity.too.deep', `body nests deeper than ${problem.maxDepth} levels`);
  }
}

/** The JSON parser, bounded to 1 MiB; it parses any top-level value (one object or an array). */
export const jsonBody = express.json({
  limit: MAX_BODY_BYTES,
  strict: false,
  type: ['application/json', 'application/*+json'],
  verify: verifyJsonBody,
});

/**
 * Turns body-parser's errors into domain errors (413, 400, 415), so the one filter
 * words them like every other error and never echoes the raw body back.
 */
export const bodyErrorTranslator: ErrorRequestHandler = (err: { type?: string } | undefined, _req, _res, next) => {
  switch (err?.type) {
    case 'entity.too.large':
      return next(new PayloadTooLargeError());
    case 'entity.parse.failed':
      return next(new InvalidInputError('body is not valid JSON'));
    case 'entity.too.deep':
    case 'entity.not.utf8':
      // Our own refusals from verifyJsonBody: their messages hold no input.
      return next(new InvalidInputError((err as { message: string }).message));
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(new UnsupportedMediaTypeError('request body must be UTF-8 JSON'));
    case 'request.aborted':
    case 'request.size.invalid':
      return next(new InvalidInputError('request body was incomplete'));
    default:
      // A body that does not decode as its Content-Encoding says: zlib's (Z_*) and brotli's
      // (ERR__ERROR_*) errors carry no `type`.
      if (/^(Z_|ERR__ERROR_)/.test(String((err as { code?: unknown } | undefined)?.code))) {
        return next(new InvalidInputError('request body does not match its Content-Encoding'));
      }
      return next(err);
  }
};
