import { performance } from 'node:perf_hooks';
import { request } from '@runtrail/testing';
import type { Client } from 'pg';

/** Rows are polled this often; it bounds how late "all visible" can be noticed. */
const POLL_MS = 25;

/**
 * Posts `count` bodies that `bodyAt` builds when a worker takes them (a set too large to
 * hold in memory as request bodies), `concurrency` at a time; the first non-202 stops the others.
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
