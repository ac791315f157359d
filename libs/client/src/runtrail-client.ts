import { randomUUID } from 'node:crypto';
import type { ActionRunDto, ActionRunRecord, AuditEventDto, AuditRecord, CommandView } from '@runtrail/contracts';
import { HttpClient, type CallOptions } from './http-client';
import { DEFAULT_RETRY, type RetryPolicy } from './retry-policy';

export interface RuntrailClientOptions {
  /** Base URL of the ingest gateway, without `/v1` (e.g. http://127.0.0.1:8080). */
  ingestUrl?: string;
  /** Base URL of the query service, without `/v1`. */
  queryUrl?: string;
  apiKey: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface Page<T> {
  items: T[];
  /** The path of the next page (from `Link: rel="next"`), if more records exist. */
  next?: string;
}

const BATCH = 1000;

/**
 * A typed client for Runtrail's ingest and query APIs, for the CLI, the runner agent
 * and any Node control plane. Submissions are batched (1000 per request) and carry an
 * id for every item, assigned here when the caller gave none, so a retry can never
 * store anything twice. Retries happen only on 429/502/503/504 and network errors.
 */
export class RuntrailClient {
  private readonly http: HttpClient;

  constructor(private readonly options: RuntrailClientOptions) {
    this.http = new HttpClient(options.apiKey, options.retry ?? DEFAULT_RETRY, options.timeoutMs);
  }

  async submitAuditEvents(events: Partial<AuditEventDto>[], call?: CallOptions): Promise<{ accepted: number; eventIds: string[] }> {
    const withIds = events.map((e) => ({ ...e, eventId: e.eventId ?? randomUUID() }));
    let accepted = 0;
    for (let i = 0; i < withIds.length; i += BATCH) {
      const res = await this.http.call<{ accepted: number }>('POST', this.ingest('/v1/audit-events'), withIds.slice(i, i + BATCH), call);
      accepted += res.body.accepted;
    }
    return { accepted, eventIds: withIds.map((e) => e.eventId) };
  }

  /** Run reports carry their own id (the CLI chooses it when the run starts). */
  async submitActionRuns(runs: ActionRunDto[], call?: CallOptions): Promise<{ accepted: number; ids: string[] }> {
    let accepted = 0;
    for (let i = 0; i < runs.length; i += BATCH) {
      const res = await this.http.call<{ accepted: number }>('POST', this.ingest('/v1/action-runs'), runs.slice(i, i + BATCH), call);
      accepted += res.body.accepted;
    }
    return { accepted, ids: runs.map((r) => r.id) };
  }

  listAuditEvents(query: Query = {}, call?: CallOptions): Promise<Page<AuditRecord>> {
    return this.page('/v1/audit', query, call);
  }

  listActionRuns(query: Query = {}, call?: CallOptions): Promise<Page<ActionRunRecord>> {
    return this.page('/v1/action-runs', query, call);
  }

  /** Every record of a list, following `Link: rel="next"` page after page. */
  async *all<T>(first: Page<T>, call?: CallOptions): AsyncGenerator<T> {
    let page: Page<T> | undefined = first;
    while (page) {
      yield* page.items;
      page = page.next ? await this.pageAt<T>(page.next, call) : undefined;
    }
  }

  async getActionRun(id: string, call?: CallOptions): Promise<ActionRunRecord & { retriggers: { commandId: string; status: string; newRunId: string | null }[] }> {
    return (await this.http.call<ActionRunRecord & { retriggers: [] }>('GET', this.query(`/v1/action-runs/${encodeURIComponent(id)}`), undefined, call)).body;
  }

  async retrigger(runId: string, body: { runnerId?: string; reason?: string } = {}, call?: CallOptions) {
    const res = await this.http.call<{ commandId: string; runId: string; runnerId: string; status: string }>(
      'POST',
      this.query(`/v1/action-runs/${encodeURIComponent(runId)}/retrigger`),
      body,
      call,
    );
    return res.body;
  }

  async getCommand(id: string, call?: CallOptions): Promise<CommandView> {
    return (await this.http.call<CommandView>('GET', this.query(`/v1/commands/${encodeURIComponent(id)}`), undefined, call)).body;
  }

  async registerRunner(body: { name: string; workspaces: string[] }, call?: CallOptions) {
    return (await this.http.call<{ id: string; name: string; workspaces: string[]; token: string }>('POST', this.query('/v1/runners'), body, call)).body;
  }

  private async page<T>(path: string, query: Query, call?: CallOptions): Promise<Page<T>> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return this.pageAt<T>(`${path}${qs ? `?${qs}` : ''}`, call);
  }

  private async pageAt<T>(pathAndQuery: string, call?: CallOptions): Promise<Page<T>> {
    const res = await this.http.call<T[]>('GET', this.query(pathAndQuery), undefined, call);
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    return { items: res.body, next };
  }

  private ingest(path: string): string {
    if (!this.options.ingestUrl) throw new Error('RuntrailClient: ingestUrl is not set');
    return `${this.options.ingestUrl.replace(/\/+$/, '')}${path}`;
  }

  private query(path: string): string {
    if (!this.options.queryUrl) throw new Error('RuntrailClient: queryUrl is not set');
    return `${this.options.queryUrl.replace(/\/+$/, '')}${path}`;
  }
}
