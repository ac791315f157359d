import { performance } from 'node:perf_hooks';
import { request } from '@runtrail/testing';
import type { Client } from 'pg';

export interface EndToEndResult {
  events: number;
  requests: number;
  /** First request sent -> last 202 received. */
  ingestSeconds: number;
  /** First request sent -> all rows visible in audit_events. */
  endToEndSeconds: number;
  /** Per request, send -> 202, in milliseconds. */
  latenciesMs: number[];
}

export interface EndToEndOptions {
  ingestUrl: string;
  key: string;
  tenantId: string;
  /** Request bodies, already serialised, so client-side JSON work stays out of the figures. */
  bodies: string[];
  events: number;
  concurrency: number;
  /** A connection to the stack's own database, used to see when rows become queryable. */
  db: Client;
  visibleTimeoutMs: number;
}

/** Rows are polled this often; it bounds how late "all visible" can be noticed. */
const POLL_MS = 25;

/**
 * Posts every body with at most `concurrency` requests in flight, then waits until
 * the tenant has all its rows. Visibility is read from audit_events directly because
 * that is the table the query service answers from; polling starts only after the
 * last 202 (the rows cannot all be there before), so the polling does not compete
 * with ingestion for the machine's two cores.
 */
export async function runEndToEnd(o: EndToEndOptions): Promise<EndToEndResult> {
  const started = performance.now();
  const latenciesMs = await postAll(o.ingestUrl, o.key, o.bodies, o.concurrency);
  const acknowledged = performance.now();
  const visible = await waitForRows(o.db, o.tenantId, o.events, o.visibleTimeoutMs);
  return {
    events: o.events,
    requests: o.bodies.length,
    ingestSeconds: (acknowledged - started) / 1000,
    endToEndSeconds: (visible - started) / 1000,
    latenciesMs,
  };
}

/** Sends all bodies through a fixed pool of workers; the first non-202 stops the others. */
export async function postAll(ingestUrl: string, key: string, bodies: string[], concurrency: number): Promise<number[]> {
  return postEach(ingestUrl, key, bodies.length, (i) => bodies[i], concurrency);
}

/**
 * As postAll, for `count` bodies that `bodyAt` builds when a worker takes them (a set too
 * large to hold in memory as request bodies).
 */
export async function postEach(ingestUrl: string, key: string, count: number, bodyAt: (index: number) => string, concurrency: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  let failure: Error | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      const body = bodyAt(index);
      const sent = performance.now();
      const res = await request('POST', `${ingestUrl}/v1/audit-events`, { key, rawBody: body });
      if (res.status !== 202) {
        failure ??= new Error(`request ${index} answered ${res.status} instead of 202: ${res.text.slice(0, 500)}`);
        return;
      }
      latencies.push(performance.now() - sent);
    }
  };
  // allSettled: a worker that throws (connection refused) must not leave others running unobserved.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, count) }, worker));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') failure ??= outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
  }
  if (failure) throw failure;
  return latencies;
}

/**
 * Resolves with the performance.now() at which `expected` rows of the tenant were first
 * seen (the service's own entry for the bench key's creation is not one of them).
 */
export async function waitForRows(db: Client, tenantId: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1 AND entity_type <> 'ApiKey'", [tenantId]);
    seen = Number(rows[0].n);
    if (seen >= expected) return performance.now();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`only ${seen} of ${expected} rows of tenant ${tenantId} became visible within ${timeoutMs / 1000} s`);
}
