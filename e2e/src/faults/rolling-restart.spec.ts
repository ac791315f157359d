import {
  auditEvent,
  faultTable,
  pause,
  projectorCaughtUp,
  restartRolling,
  runScenario,
  startTestStack,
  type ScenarioResult,
  type TestStack,
} from '@runtrail/testing';

/** What one request of the SIGTERM test got: its status, or the code of the connection error. */
interface Outcome {
  ids: string[];
  answer: number | string;
  at: number;
}

/**
 * Rolling restarts (issue 14, docs/reliability.md): SIGTERM drains the gateway's requests in
 * flight (each gets its answer, and a 202 is stored), and a short rolling restart of every
 * service under load loses and duplicates nothing (`npm run test:faults` does three rounds).
 */
describe('faults: SIGTERM and rolling restarts', () => {
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    t = await startTestStack('e2eroll');
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
  });

  it('the gateway answers every request it took before exiting on SIGTERM, and stores each 202', async () => {
    const key = await t.createKey('acme', ['events:write'], 'drain');
    const outcomes: Outcome[] = [];
    let stopped = false;
    // Twenty clients on keep-alive connections, each sending batches of 200 until the gateway is gone.
    const client = async () => {
      while (!stopped) {
        const batch = Array.from({ length: 200 }, () => auditEvent());
        const ids = batch.map((e) => e.eventId as string);
        const answer = await fetch(`${t.ingestUrl}/v1/audit-events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify(batch),
        })
          .then(async (r) => (await r.arrayBuffer(), r.status))
          .catch((err: { cause?: { code?: string } }) => err.cause?.code ?? 'error');
        outcomes.push({ ids, answer, at: Date.now() });
        if (typeof answer === 'string') return;
      }
    };
    const clients = Array.from({ length: 20 }, client);
    await pause(1500);
    const sigterm = Date.now();
    const code = await t.stack.services.ingest.stop('SIGTERM');
    stopped = true;
    await Promise.all(clients);

    expect(code).toBe(0);
    expect(outcomes.filter((o) => typeof o.answer === 'number' && o.answer !== 202)).toEqual([]);
    const acknowledged = outcomes.filter((o) => o.answer === 202);
    // Requests were in flight when the signal came, and got their 202 after it.
    expect(acknowledged.filter((o) => o.at > sigterm).length).toBeGreaterThan(0);
    // Connection errors only: refused after the exit, or an idle keep-alive connection closed
    // as the client reused it (HTTP/1.1's race; the request never reached the gateway). None of
    // them stored anything (below): no request the gateway took in was cut off.
    const refused = outcomes.filter((o) => typeof o.answer === 'string');
    expect(refused.every((o) => ['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(o.answer as string))).toBe(true);

    await projectorCaughtUp(t);
    const count = async (list: Outcome[]) =>
      Number((await t.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_events WHERE event_id = ANY($1::uuid[])`, [list.flatMap((o) => o.ids)]))[0].n);
    expect(await count(acknowledged)).toBe(acknowledged.length * 200);
    expect(await count(refused)).toBe(0);

    t.stack.services.ingest.start();
    await t.stack.services.ingest.waitReady(60_000);
  }, 120_000);

  it('loses and duplicates nothing through a rolling restart of every service under load', async () => {
    const result = await runScenario({ name: 'rolling restart x1', stack: t, tenants: 3, inject: restartRolling(1, 1500) });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 180_000);
});
