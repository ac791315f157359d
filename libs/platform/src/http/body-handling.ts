import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { PayloadTooLargeError, InvalidInputError, UnsupportedMediaTypeError } from '../errors/domain-errors';

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

/** The JSON parser, bounded to 1 MiB; it parses any top-level value (one object or an array). */
export const jsonBody = express.json({ limit: MAX_BODY_BYTES, strict: false, type: ['application/json', 'application/*+json'] });

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
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return next(new UnsupportedMediaTypeError('request body must be UTF-8 JSON'));
    case 'request.aborted':
    case 'request.size.invalid':
      return next(new InvalidInputError('request body was incomplete'));
    default:
      return next(err);
  }
};
