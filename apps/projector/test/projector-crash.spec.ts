import { auditEvent, eventually, projectorCaughtUp, request, startTestStack, type TestStack } from '@runtrail/testing';

/** The submitted events, not the service's own entry for the test key's creation. */
const EVENTS = "FROM audit_events WHERE entity_type <> 'ApiKey'";

const TOTAL = 20_000;
const PER_REQUEST = 100;
const IN_FLIGHT = 4;

/**
 * Kill -9 of the projector in the middle of a stream of 20,000 events, then a
 * restart: exactly 20,000 rows, no duplicate, nothing lost. Spawns the compiled
 * services (npm run build first).
 */
describe('projector killed with SIGKILL mid-stream', () => {
  let t: TestStack;

  beforeAll(async () => {
    // Small batches so the kill lands between (and inside) many transactions; a short
    // ack wait so the batch the killed process held comes back quickly.
    t = await startTestStack('crash', { PROJECTOR_BATCH_SIZE: '4', PROJECTOR_ACK_WAIT_SECONDS: '3' });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const count = async (sql: string) => Number((await t.query<{ n: string }>(sql))[0].n);

  it('ends with exactly 20,000 rows and no duplicate after a restart', async () => {
    const key = await t.createKey('acme', ['events:write', 'audit:read']);
    const batches = Array.from({ length: TOTAL / PER_REQUEST }, () =>
      Array.from({ length: PER_REQUEST }, () => auditEvent()),
    );
    const accepted: string[] = [];
    let next = 0;
    let killedAt = -1;

    const sender = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const res = await request<{ eventIds: string[] }>('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: batch });
        expect(res.status).toBe(202);
        accepted.push(...res.body.eventIds);
      }
    };
    const killer = async () => {
      // Wait until the projector is visibly working through the stream, then kill it.
      await eventually(async () => ((await count(`SELECT count(*) AS n ${EVENTS}`)) >= 2000 ? true : undefined), 60_000);
      killedAt = await count(`SELECT count(*) AS n ${EVENTS}`);
      await t.stack.services.projector.stop('SIGKILL');
    };
    await Promise.all([killer(), ...Array.from({ length: IN_FLIGHT }, sender)]);

    expect(accepted).toHaveLength(TOTAL);
    expect(killedAt).toBeGreaterThan(0);
    expect(killedAt).toBeLessThan(TOTAL);

    t.stack.services.projector.start();
    await t.stack.services.projector.waitReady();
    await eventually(
      async () => ((await count(`SELECT count(*) AS n ${EVENTS}`)) >= TOTAL ? true : undefined),
      90_000,
      'all rows projected',
    );
    // Count only once every message is acknowledged: no redelivery that could duplicate a row is left.
    await projectorCaughtUp(t, 60_000);
    expect(await count(`SELECT count(*) AS n ${EVENTS}`)).toBe(TOTAL);
    expect(await count(`SELECT count(DISTINCT event_id) AS n ${EVENTS}`)).toBe(TOTAL);
    const stored = (await t.query<{ event_id: string }>(`SELECT event_id ${EVENTS}`)).map((r) => r.event_id);
    expect(new Set(stored)).toEqual(new Set(accepted));
  }, 240_000);
});
