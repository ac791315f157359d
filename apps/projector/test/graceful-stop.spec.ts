import { BACKOFF, retry } from '@runtrail/platform/retry';
import { auditEvent, eventually, projectorConsumers, request, startTestStack, type TestStack } from '@runtrail/testing';

/** The submitted events, not the service's own entry for the test key's creation. */
const EVENTS = "FROM audit_events WHERE entity_type <> 'ApiKey'";

/**
 * SIGTERM (a rolling deploy) in the middle of a stream: the projector finishes or
 * gives back the batch in hand and leaves no delivered message unacknowledged;
 * ingest refuses what it cannot finish, and the client's retry with the same
 * eventIds stores each event once.
 */
describe('SIGTERM mid-stream', () => {
  let t: TestStack;

  beforeAll(async () => {
    t = await startTestStack('sigterm', { PROJECTOR_BATCH_SIZE: '2', PROJECTOR_ACK_WAIT_SECONDS: '60' });
  }, 90_000);

  afterAll(async () => {
    await t?.stop();
  });

  const count = async () => Number((await t.query<{ n: string }>(`SELECT count(*) AS n ${EVENTS}`))[0].n);

  /** What the projector's partition consumers hold, summed. */
  const consumers = async () => {
    const infos = await projectorConsumers(t.namespace);
    return { ackPending: infos.reduce((n, i) => n + i.num_ack_pending, 0), redelivered: infos.reduce((n, i) => n + i.num_redelivered, 0) };
  };

  it('loses nothing and leaves no delivered message unacknowledged', async () => {
    const key = await t.createKey('acme', ['events:write']);
    const batches = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => auditEvent()));
    const post = (batch: unknown[]) => request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: batch });
    const first = Promise.all(batches.slice(0, 50).map(async (b) => expect((await post(b)).status).toBe(202)));

    // Stop the projector as soon as it is at work.
    await eventually(async () => ((await count()) > 0 ? true : undefined), 30_000);
    await t.stack.services.projector.stop('SIGTERM');
    await first;
    // The 60 s ack wait is far away: anything still pending now was dropped without an answer.
    expect((await consumers()).ackPending).toBe(0);

    // Ingest is restarted under load; what it could not answer is retried with the same ids.
    const sent = batches.slice(50).map(async (b, i) => {
      if (i === 10) {
        await t.stack.services.ingest.stop('SIGTERM');
        t.stack.services.ingest.start();
      }
      // A client that retries with the same eventIds, as the SDK does.
      await retry(async () => {
        const res = await post(b);
        if (res.status !== 202) throw new Error(`answered ${res.status}`);
      }, { policy: BACKOFF.client });
    });
    await Promise.all(sent);

    t.stack.services.projector.start();
    await eventually(async () => ((await count()) === 10_000 ? true : undefined), 60_000, 'all 10,000 events');
    expect(Number((await t.query<{ n: string }>(`SELECT count(DISTINCT event_id) AS n ${EVENTS}`))[0].n)).toBe(10_000);
    expect((await consumers()).redelivered).toBe(0);
  }, 180_000);
});
