import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { NatsCluster } from '../src/nats-cluster';

/** The three-node cluster the fault tests run on: a stream at three replicas survives one node, not two. */
describe('a three-node JetStream cluster on loopback', () => {
  let cluster: NatsCluster;
  let nc: NatsConnection;
  const stored: number[] = [];

  const publish = async (n: number, timeout = 2000) => {
    await jetstream(nc, { timeout }).publish('faults.test', JSON.stringify(n), { msgID: `m-${n}` });
    stored.push(n);
  };

  /** Publishes `n` until a leader takes it (an election takes a few seconds). */
  async function publishEventually(n: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        return await publish(n);
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }

  beforeAll(async () => {
    cluster = await NatsCluster.start(3);
    nc = await connect({ servers: cluster.url.split(','), maxReconnectAttempts: -1, reconnectTimeWait: 200 });
    await (await jetstreamManager(nc)).streams.add({ name: 'faults', subjects: ['faults.>'], storage: StorageType.File, num_replicas: 3 });
  }, 60_000);

  afterAll(async () => {
    await nc?.close();
    await cluster?.destroy();
  });

  it('keeps every acknowledged message through the loss of its leader, refuses writes without a quorum, and recovers', async () => {
    await publish(1);
    const leader = await cluster.leaderOf('faults');
    await leader.stop('SIGKILL');
    await publishEventually(2);

    // A second node down: no quorum, so no acknowledgement (the gateway's 503).
    const second = cluster.nodes.find((n) => n !== leader) as (typeof cluster.nodes)[number];
    await second.stop('SIGKILL');
    await expect(publish(3, 1500)).rejects.toThrow();

    await leader.start();
    await second.start();
    await cluster.jetStreamReady();
    await publishEventually(4);
    expect(stored).toEqual([1, 2, 4]);
    // Every acknowledged message is there; the one never acknowledged may or may not be (it is "unknown").
    const jsm = await jetstreamManager(nc);
    const last = (await jsm.streams.info('faults')).state.last_seq;
    const found: number[] = [];
    for (let seq = 1; seq <= last; seq++) {
      const m = await jsm.streams.getMessage('faults', { seq }).catch(() => null);
      if (m) found.push(m.json<number>());
    }
    expect(found.filter((n) => n !== 3)).toEqual(stored);
  }, 120_000);
});
