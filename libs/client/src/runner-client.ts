import { describeError, exchange, messagesOf, type HttpAnswer } from './http-client';
import { parseRetryAfter, retry } from '@runtrail/platform/retry';
import { DEFAULT_RETRY, RETRYABLE_STATUSES, type RetryPolicy } from './retry-policy';

/** `GET /v1/runner-session`: who the runner is and where its commands arrive (ADR 0007). */
export interface RunnerSession {
  runnerId: string;
  tenantId: string;
  name: string;
  workspaces: string[];
  stream: string;
  consumer: string;
  subject: string;
  signingPublicKey: string;
}

/** An answer of any status: the agent decides per status (409 taken, 404 gone, …). */
export type ApiAnswer = Pick<HttpAnswer<unknown>, 'status' | 'body'>;

export interface CommandStatusReport {
  status: 'running' | 'succeeded' | 'failed';
  exitCode?: number;
  newRunId?: string;
}

export interface HeartbeatReport {
  state?: 'online' | 'offline';
  hostname?: string;
  version?: string;
}

export interface RunnerClientOptions {
  ingestUrl: string;
  queryUrl: string;
  /** The runner token (`rtr_…`); it authenticates every call, and no message carries it. */
  token: string;
  /** Per attempt. */
  timeoutMs?: number;
  retry?: RetryPolicy;
}

/** The server's own explanation of an answer, in one line. */
export function answerMessage(answer: ApiAnswer): string {
  if (typeof answer.body === 'string' && answer.body !== '') return answer.body.slice(0, 200);
  return messagesOf(answer.body, `HTTP ${answer.status}`).join('; ');
}

export { describeError };

/**
 * The runner agent's calls: its session and heartbeats, taking and reporting commands
 * on the query service, and its new runs on the ingest gateway. Answers of every status
 * come back as they are; retried calls retry only what the client retries everywhere
 * (429/502/503/504 and network errors).
 */
export class RunnerClient {
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;

  constructor(private readonly options: RunnerClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  session(): Promise<ApiAnswer> {
    return this.once('GET', `${this.options.queryUrl}/v1/runner-session`);
  }

  heartbeat(report: HeartbeatReport, attempts = 1): Promise<ApiAnswer> {
    return this.withRetries('POST', `${this.options.queryUrl}/v1/runner-session/heartbeat`, report, attempts);
  }

  /** One attempt: the caller naks the message when it fails, and NATS brings it back. */
  accept(commandId: string): Promise<ApiAnswer> {
    return this.once('POST', `${this.options.queryUrl}/v1/commands/${encodeURIComponent(commandId)}/accept`);
  }

  reportStatus(commandId: string, report: CommandStatusReport, attempts = 3): Promise<ApiAnswer> {
    return this.withRetries('POST', `${this.options.queryUrl}/v1/commands/${encodeURIComponent(commandId)}/status`, report, attempts);
  }

  /** `POST {ingest}/v1/action-runs`: the new run's start or end report. */
  reportRun(run: Record<string, unknown>, attempts = 3): Promise<ApiAnswer> {
    return this.withRetries('POST', `${this.options.ingestUrl}/v1/action-runs`, run, attempts);
  }

  private async once(method: string, url: string, body?: unknown): Promise<ApiAnswer> {
    const { status, body: answer } = await exchange(this.options.token, method, url, body, this.timeoutMs);
    return { status, body: answer };
  }

  /**
   * Resolves to the first answer worth keeping, or the last retryable one when the
   * attempts run out; rejects with the network error when the last attempt got no answer.
   */
  private async withRetries(method: string, url: string, body: unknown, attempts: number): Promise<ApiAnswer> {
    try {
      const { status, body: answer } = await retry(
        async () => {
          const res = await exchange(this.options.token, method, url, body, this.timeoutMs);
          if (RETRYABLE_STATUSES.has(res.status)) throw new RetryableAnswer(res);
          return res;
        },
        { policy: this.retry.backoff, maxAttempts: attempts, retryAfterMs: (err) => (err instanceof RetryableAnswer ? parseRetryAfter(err.answer.headers.get('retry-after')) : undefined) },
      );
      return { status, body: answer };
    } catch (err) {
      if (err instanceof RetryableAnswer) return { status: err.answer.status, body: err.answer.body };
      throw err;
    }
  }
}

/** An answer the server may change its mind about (429, 502, 503, 504). */
class RetryableAnswer extends Error {
  constructor(readonly answer: HttpAnswer<unknown>) {
    super(`HTTP ${answer.status}`);
  }
}
