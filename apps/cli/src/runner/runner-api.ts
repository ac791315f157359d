/**
 * The HTTP calls the agent makes (CONTRACT §4 "Re-trigger and runners", ADR 0007): its
 * session and heartbeats, taking and reporting commands on the query service, and the
 * new action run on the ingest gateway. Every call carries the runner token as a Bearer
 * token; no message built here ever contains it.
 */

/** `GET /v1/runner-session`. */
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

export interface ApiAnswer {
  status: number;
  /** Parsed JSON, or the text when it is not JSON, or undefined when empty. */
  body: unknown;
}

/** The server's own explanation (Nest answers `{ message }`, a string or a list). */
export function answerMessage(answer: ApiAnswer): string {
  const body = answer.body;
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (Array.isArray(message)) return message.map(String).join('; ');
    if (typeof message === 'string') return message;
  }
  return typeof body === 'string' && body !== '' ? body.slice(0, 200) : `HTTP ${answer.status}`;
}

/** A network failure in one line: fetch's "fetch failed" says little, its cause says why. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'timed out';
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.message} (${code})` : `${error.message} (${cause.message})`;
  }
  return error.message;
}

/** Worth another attempt: the service is down, restarting, or overloaded. */
export function isRetryable(answer: ApiAnswer): boolean {
  return answer.status >= 500 || answer.status === 429;
}

/** 1 s, 2 s, 4 s, ... up to `capMs`. */
export function backoffMs(failures: number, baseMs = 1000, capMs = 30_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, failures - 1));
}

export type Sleep = (ms: number) => Promise<void>;

export interface RunnerApiOptions {
  ingestUrl: string;
  queryUrl: string;
  token: string;
  /** Per request. */
  timeoutMs?: number;
  /** Pause between attempts of a retried call (tests make it instant). */
  retryDelayMs?: number;
  sleep?: Sleep;
  fetchFn?: typeof fetch;
}

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

export class RunnerApi {
  private readonly timeoutMs: number;
  private readonly retryDelayMs: number;
  private readonly sleep: Sleep;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly options: RunnerApiOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetchFn = options.fetchFn ?? fetch;
  }

  /** One attempt; a network failure or timeout rejects. */
  async call(method: 'GET' | 'POST', url: string, body?: unknown): Promise<ApiAnswer> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let parsed: unknown = text === '' ? undefined : text;
    try {
      if (text !== '') parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  }

  /**
   * Up to `attempts` tries, pausing longer each time, while the network fails or the
   * service answers 5xx/429. Resolves to the last answer; rejects with the last network
   * error when no attempt got one.
   */
  async callWithRetries(method: 'GET' | 'POST', url: string, body: unknown, attempts: number): Promise<ApiAnswer> {
    let lastError: unknown;
    let lastAnswer: ApiAnswer | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await this.sleep(this.retryDelayMs * 2 ** (attempt - 2));
      try {
        lastAnswer = await this.call(method, url, body);
        lastError = undefined;
        if (!isRetryable(lastAnswer)) return lastAnswer;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastAnswer && lastError === undefined) return lastAnswer;
    throw lastError;
  }

  session(): Promise<ApiAnswer> {
    return this.call('GET', `${this.options.queryUrl}/v1/runner-session`);
  }

  heartbeat(report: HeartbeatReport, attempts = 1): Promise<ApiAnswer> {
    return this.callWithRetries('POST', `${this.options.queryUrl}/v1/runner-session/heartbeat`, report, attempts);
  }

  /** One attempt: the caller naks the message when it fails, and NATS brings it back. */
  accept(commandId: string): Promise<ApiAnswer> {
    return this.call('POST', `${this.options.queryUrl}/v1/commands/${encodeURIComponent(commandId)}/accept`);
  }

  reportStatus(commandId: string, report: CommandStatusReport, attempts = 3): Promise<ApiAnswer> {
    return this.callWithRetries('POST', `${this.options.queryUrl}/v1/commands/${encodeURIComponent(commandId)}/status`, report, attempts);
  }

  /** `POST {ingest}/v1/action-runs`: the new run's start or end report. */
  reportRun(run: Record<string, unknown>, attempts = 3): Promise<ApiAnswer> {
    return this.callWithRetries('POST', `${this.options.ingestUrl}/v1/action-runs`, run, attempts);
  }
}
