/**
 * Errors of the query service as the console shows them (docs/api.md#errors): every error
 * answer is `{ statusCode, error, message }`, `message` a string or, for 400, an array.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds from Retry-After (429, 503), when the service sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The request never got an answer (offline, DNS, the service is down). */
export class NetworkError extends Error {
  constructor() {
    super('Could not reach the Runtrail service. Check the connection and retry.');
    this.name = 'NetworkError';
  }
}

/** Retry-After as whole seconds: delta-seconds, or an HTTP date relative to `now`. */
export function retryAfterSeconds(header: string | null, now: Date = new Date()): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/** The `message` of an error body, joined when it is a list; the status text otherwise. */
export function messageOf(body: unknown, response: Pick<Response, 'status' | 'statusText'>): string {
  if (body && typeof body === 'object' && 'message' in body) {
    const { message } = body as { message: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (Array.isArray(message) && message.length > 0) return message.map(String).join('; ');
  }
  if (typeof body === 'string' && body.trim() !== '' && body.length < 300) return body.trim();
  return `The service answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
}

export function apiErrorFrom(response: Response, body: unknown): ApiError {
  return new ApiError(response.status, messageOf(body, response), retryAfterSeconds(response.headers.get('Retry-After')));
}

export const RETRYABLE_STATUSES = new Set([429, 503]);

export function isRetryable(err: unknown): boolean {
  return err instanceof NetworkError || (err instanceof ApiError && RETRYABLE_STATUSES.has(err.status));
}

const seconds = (n: number) => (n === 1 ? '1 second' : `${n} seconds`);

/** What an alert says about an error: 429 and 503 say to retry (and when), others the API's message. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const when = err.retryAfterSeconds !== null ? `Retry in ${seconds(err.retryAfterSeconds)}.` : 'Retry in a moment.';
    if (err.status === 429) return `Too many requests for this key right now. ${when}`;
    if (err.status === 503) return `The service is unavailable for a moment. ${when}`;
    return err.message;
  }
  if (err instanceof NetworkError) return err.message;
  return err instanceof Error && err.message ? err.message : 'Something went wrong.';
}
