import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, apiErrorFrom, describeError, messageOf, retryAfterSeconds } from './errors';

describe('API errors', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
    expect(retryAfterSeconds('Mon, 30 Nov 2026 12:00:10 GMT', new Date('2026-11-30T12:00:00Z'))).toBe(10);
  });

  it("takes the API's message, a list joined", () => {
    const res = { status: 400, statusText: 'Bad Request' };
    expect(messageOf({ statusCode: 400, message: ['limit must be an integer', 'x is not a known query parameter'] }, res)).toBe(
      'limit must be an integer; x is not a known query parameter',
    );
    expect(messageOf({ statusCode: 409, message: 'no runner serves acme-prod' }, { status: 409, statusText: '' })).toBe('no runner serves acme-prod');
    expect(messageOf(undefined, { status: 502, statusText: 'Bad Gateway' })).toBe('The service answered 502 Bad Gateway.');
  });

  it('says to retry on 429 and 503, with the seconds when given', () => {
    expect(describeError(new ApiError(429, 'rate limited', 3))).toBe('Too many requests for this key right now. Retry in 3 seconds.');
    expect(describeError(new ApiError(429, 'rate limited', 1))).toBe('Too many requests for this key right now. Retry in 1 second.');
    expect(describeError(new ApiError(503, 'down', null))).toBe('The service is unavailable for a moment. Retry in a moment.');
    expect(describeError(new ApiError(403, 'API key lacks scope admin'))).toBe('API key lacks scope admin');
    expect(describeError(new NetworkError())).toMatch(/Could not reach/);
  });

  it('builds the error of an answer with its Retry-After', () => {
    const response = new Response('{}', { status: 503, headers: { 'Retry-After': '5' } });
    const err = apiErrorFrom(response, { statusCode: 503, message: 'Postgres is unavailable' });
    expect(err).toMatchObject({ status: 503, message: 'Postgres is unavailable', retryAfterSeconds: 5 });
  });
});
