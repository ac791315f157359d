import { randomUUID } from 'node:crypto';
import { NatsCluster, auditEvent, eventually, request, startTestStack, type TestStack } from '@runtrail/testing';

/**
 * The services on a three-node JetStream cluster, the stream and buckets at three replicas
 * (issue 14, docs/reliability.md): the gateway keeps answering `202` through the loss of the
 * stream's leader, answers `503` and never `202` while a quorum is lost, and every event it
 * acknowledged is stored exactly once.
 */
describe('the gateway on a three-node JetStream cluster', () => {
  let cluster: NatsCluster;
  let t: TestStack;
  let key: string;
  const acknowledged: string[] = [];

  /** One event; its id is kept when the answer is 202. */
  async function submit(): Promise<number> {
    const event = auditEvent({ eventId: randomUUID() });
    const res = await request('POST', `${t.ingestUrl}/v1/audit-events`, { key, body: event });
    if (res.status === 202) acknowledged.push(event.eventId as string);
    return res.status;
  }

  beforeAll(async () => {
    cluster = await NatsCluster.start(3);
    t = await startTestStack('e2equorum', { NATS_URL: cluster.url, STREAM_REPLICAS: '3' });
    key = await t.createKey('acme', ['events:write', 'audit:read'], 'ci');
  }, 120_000);

  afterAll(async () => {
    await t?.stop();
    await cluster?.destroy();
  });

  it('acknowledges through a leader loss, refuses without a quorum, and stores every acknowledged event once', async () => {
    expect(await submit()).toBe(202);
    const leader = await cluster.leaderOf(`${t.namespace}-events`);
    await leader.stop('SIGKILL');
    // A new leader is elected within seconds; until then the answer is 503, never a false 202.
    await eventually(async () => ((await submit()) === 202 ? true : undefined), 60_000, 'a 202 after the leader was lost');

    const second = cluster.nodes.find((n) => n !== leader) as NatsCluster['nodes'][number];
    await second.stop('SIGKILL');
    const withoutQuorum = [await submit(), await submit()];
    expect(withoutQuorum).toEqual([503, 503]);

    await leader.start();
    await second.start();
    await cluster.jetStreamReady();
    await eventually(async () => ((await submit()) === 202 ? true : undefined), 60_000, 'a 202 once the quorum is back');

    // Every acknowledged event is in the tables readers see, exactly once.
    const rows = await eventually(async () => {
      const found = await t.query<{ event_id: string; n: string }>(`SELECT event_id, count(*)::text AS n FROM audit_events WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`, [acknowledged]);
      return found.length === acknowledged.length ? found : undefined;
    }, 60_000, 'every acknowledged event projected');
    expect(rows.every((r) => r.n === '1')).toBe(true);
  }, 240_000);
});
