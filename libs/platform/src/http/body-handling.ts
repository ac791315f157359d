import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import typeIs from 'type-is';
import { PayloadTooLargeError, InvalidInputError, UnsupportedMediaTypeError } from '../errors/domain-errors';
import { scanJsonBody } from './json-body-scan';

export const MAX_BODY_BYTES = 1024 * 1024;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * The body handling below works on Node's own request and response, so the Express and
 * the Fastify app (create-http-app.ts) answer every body alike: one parser (body-parser's,
 * with our `verify`), one translation of its errors.
 */

/** A 415 for a body that is not declared as JSON, before anything parses it; undefined when it may be parsed. */
export function nonJsonBodyError(req: IncomingMessage): UnsupportedMediaTypeError | undefined {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (BODY_METHODS.has(req.method ?? '') && hasBody && !typeIs(req, JSON_TYPES)) return new UnsupportedMediaTypeError();
  return undefined;
}

/** 415 for a body that is not declared as JSON, before anything parses it. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  next(nonJsonBodyError(req));
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
  type: JSON_TYPES,
  verify: verifyJsonBody,
});

/**
 * Turns body-parser's errors into domain errors (413, 400, 415), so the one filter
 * words them like every other error and never echoes the raw body back. Anything
 * else is returned as it is.
 */
export function translateBodyError(err: unknown): unknown {
  switch ((err as { type?: unknown } | undefined)?.type) {
    case 'entity.too.large':
      return new PayloadTooLargeError();
    case 'entity.parse.failed':
      return new InvalidInputError('body is not valid JSON');
    case 'entity.too.deep':
    case 'entity.not.utf8':
      // Our own refusals from verifyJsonBody: their messages hold no input.
      return new InvalidInputError((err as { message: string }).message);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new UnsupportedMediaTypeError('request body must be UTF-8 JSON');
    case 'request.aborted':
    case 'request.size.invalid':
      return new InvalidInputError('request body was incomplete');
    default:
      // A body that does not decode as its Content-Encoding says: zlib's (Z_*) and brotli's
      // (ERR__ERROR_*) errors carry no `type`.
      if (/^(Z_|ERR__ERROR_)/.test(String((err as { code?: unknown } | undefined)?.code))) {
        return new InvalidInputError('request body does not match its Content-Encoding');
      }
      return err;
  }
}

/** translateBodyError as Express error middleware. */
export const bodyErrorTranslator: ErrorRequestHandler = (err: unknown, _req, _res, next) => next(translateBodyError(err));

/**
 * The whole body handling for one request on Node's own request: 415 unless declared
 * JSON, then body-parser's JSON parser (limit, charset, Content-Encoding, `verify`).
 * Resolves with the parsed body (undefined when there was none); rejects with a domain
 * error. Fastify's content-type parser calls it (fastify-app.ts), in place of reading
 * the stream itself.
 */
export function parseJsonBody(req: IncomingMessage): Promise<unknown> {
  const refused = nonJsonBodyError(req);
  if (refused) return Promise.reject(refused);
  return new Promise((resolve, reject) => {
    // body-parser hands the response only to `verify`, which does not use it.
    jsonBody(req as express.Request, undefined as unknown as express.Response, (err?: unknown) => {
      if (err) reject(translateBodyError(err));
      else resolve((req as { body?: unknown }).body);
    });
  });
}
