import { performance } from 'node:perf_hooks';
import { projectorCaughtUp, request, type TestStack } from '@runtrail/testing';
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

/** The tenant's rows in audit_events, less the service's own entry for the bench key's creation. */
async function rowsOf(db: Client, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM audit_events WHERE tenant_id = $1 AND entity_type <> 'ApiKey'", [tenantId]);
  return Number(rows[0].n);
}

/**
 * Resolves with the performance.now() at which `expected` rows of the tenant were first
 * seen (the service's own entry for the bench key's creation is not one of them).
 */
export async function waitForRows(db: Client, tenantId: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  while (performance.now() < deadline) {
    seen = await rowsOf(db, tenantId);
    if (seen >= expected) return performance.now();
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`only ${seen} of ${expected} rows of tenant ${tenantId} became visible within ${timeoutMs / 1000} s`);
}

/**
 * Like `waitForRows`, for a projection under way: resolves with the performance.now() at
 * which the projector had nothing left to deliver or to have acknowledged (it acknowledges
 * a batch only after its transaction committed, so that is the last row becoming visible),
 * once `expected` rows are there. Asking its consumers costs NATS a few lookups a poll;
 * counting the rows at every poll cost Postgres a scan of the tenant's new rows, on the
 * cores the catch-up it measures runs on.
 */
export async function waitForProjected(t: TestStack, db: Client, tenantId: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  await projectorCaughtUp(t, timeoutMs);
  const settled = performance.now();
  // Every row must be there; should some not be, counting decides when they are.
  return (await rowsOf(db, tenantId)) >= expected ? settled : waitForRows(db, tenantId, expected, Math.max(0, deadline - settled));
}
