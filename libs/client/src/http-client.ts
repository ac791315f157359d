import { RuntrailApiError, RuntrailUnavailableError } from './errors';
import { parseRetryAfter, retry } from '@runtrail/platform/retry';
import { DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryPolicy } from './retry-policy';

export interface CallOptions {
  /** Epoch milliseconds after which no attempt starts and a running one is cut. */
  deadline?: number;
  /** Per attempt. */
  timeoutMs?: number;
}

export interface HttpAnswer<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** One attempt, any status: the body parsed as JSON when it is JSON. Network errors throw. */
export async function exchange(apiKey: string, method: string, url: string, body: unknown, timeoutMs: number): Promise<HttpAnswer<unknown>> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${apiKey}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? safeJson(text) : undefined };
}

/** One JSON call with the retry policy; never logs, never puts the key in an error. */
export class HttpClient {
  constructor(
    private readonly apiKey: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
    private readonly defaultTimeoutMs = 10_000,
  ) {}

  async call<T>(method: string, url: string, body?: unknown, options: CallOptions = {}): Promise<HttpAnswer<T>> {
    const attempt = async (): Promise<HttpAnswer<T>> => {
      const left = options.deadline === undefined ? Infinity : options.deadline - Date.now();
      if (left <= 0) throw new WorthRetrying('no attempt was made');
      const timeout = Math.min(options.timeoutMs ?? this.defaultTimeoutMs, left);
      let res: HttpAnswer<unknown>;
      try {
        res = await exchange(this.apiKey, method, url, body, timeout);
      } catch (err) {
        throw new WorthRetrying(err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeout} ms` : describeError(err));
      }
      if (res.status >= 200 && res.status < 300) return res as HttpAnswer<T>;
      const error = new RuntrailApiError(res.status, messagesOf(res.body, `HTTP ${res.status}`));
      if (!RETRYABLE_STATUSES.has(res.status)) throw error;
      throw new WorthRetrying(error.message, parseRetryAfter(res.headers.get('retry-after')));
    };
    try {
      return await retry(attempt, {
        policy: this.retry.backoff,
        maxAttempts: this.retry.maxAttempts,
        deadline: options.deadline,
        retryIf: (err) => err instanceof WorthRetrying,
        retryAfterMs: (err) => (err as WorthRetrying).retryAfterMs,
      });
    } catch (err) {
      if (err instanceof WorthRetrying) throw new RuntrailUnavailableError(`Runtrail API unavailable: ${err.message}`);
      throw err;
    }
  }
}

/** An attempt that may work later: a network error, no answer in time, or a retryable status. */
class WorthRetrying extends Error {
  constructor(
    problem: string,
    readonly retryAfterMs?: number,
  ) {
    super(problem);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function messagesOf(body: unknown, fallback: string): string[] {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    return Array.isArray(m) ? m.map(String) : [String(m)];
  }
  return [fallback];
}

/** A network failure in one line (fetch hides the cause: ECONNREFUSED and the like). */
export function describeError(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'timed out';
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
