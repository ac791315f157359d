import { NotFoundException } from '@nestjs/common';
import {
  ConflictError,
  DependencyUnavailableError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
} from './domain-errors';
import { toErrorResponse } from './error-response';

describe('toErrorResponse', () => {
  const logged: unknown[] = [];
  const log = { error: (...args: unknown[]) => logged.push(args) } as never;

  it.each([
    [new InvalidInputError(['a must be x', 'b must be y']), 400, 'Bad Request', ['a must be x', 'b must be y']],
    [new UnauthenticatedError(), 401, 'Unauthorized', 'missing, unknown or revoked API key'],
    [new ForbiddenError('API key lacks scope admin'), 403, 'Forbidden', 'API key lacks scope admin'],
    [new NotFoundError('run x not found'), 404, 'Not Found', 'run x not found'],
    [new ConflictError('no runner'), 409, 'Conflict', 'no runner'],
    [new PayloadTooLargeError(), 413, 'Payload Too Large', 'request body is larger than 1 MiB'],
    [new UnsupportedMediaTypeError(), 415, 'Unsupported Media Type', 'request body must be application/json'],
  ])('maps %p to %i with the contract body', (error, status, name, message) => {
    const r = toErrorResponse(error, log);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ statusCode: status, error: name, message });
  });

  it('adds Retry-After to 503', () => {
    const r = toErrorResponse(new DependencyUnavailableError('NATS down', 7), log);
    expect(r.status).toBe(503);
    expect(r.headers).toEqual({ 'Retry-After': '7' });
  });

  it('answers a rate-limited call with 429, the contract body and Retry-After in whole seconds', () => {
    const r = toErrorResponse(new RateLimitedError('rate limit of this API key exceeded', 2), log);
    expect(r.status).toBe(429);
    expect(r.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: 'rate limit of this API key exceeded' });
    expect(r.headers).toEqual({ 'Retry-After': '2' });
    expect(toErrorResponse(new RateLimitedError('x', 0.2), log).headers).toEqual({ 'Retry-After': '1' });
  });

  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
  ])('answers a lost database connection with 503 and Retry-After, not 500', (error) => {
    const r = toErrorResponse(error, log);
    expect(r.status).toBe(503);
    expect(r.headers['Retry-After']).toBe('5');
    expect(JSON.stringify(r.body)).not.toMatch(/5432|127\.0\.0\.1/);
  });

  it('keeps Nest 4xx exceptions (unknown routes) in the same shape', () => {
    const r = toErrorResponse(new NotFoundException('Cannot GET /nope'), log);
    expect(r.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /nope' });
  });

  it('answers anything else with a bare 500 and an error id, logging the cause', () => {
    const cause = new Error('relation "secret_table" does not exist at SELECT * FROM secret_table');
    const r = toErrorResponse(cause, log);
    expect(r.status).toBe(500);
    expect(r.body.message).toBe('internal error');
    expect(r.body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(r.body)).not.toMatch(/secret_table|SELECT|at /);
    expect(logged).toContainEqual([{ err: cause, errorId: r.body.errorId }, 'unexpected error']);
  });
});
