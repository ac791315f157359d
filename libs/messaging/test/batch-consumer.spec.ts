import { deleteNamespace, eventually, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import { BatchConsumer, NatsClient, ensureEventStream, type ConsumedMessage } from '../src';

const log = pino({ level: 'silent' });

describe('BatchConsumer (real JetStream)', () => {
  let client: NatsClient;
  const namespaces: string[] = [];
  const started: BatchConsumer[] = [];

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'batch-consumer-test' }, log);
  });

  // A failing test must not leave a fetch loop running (jest would never exit).
  afterEach(async () => {
    await Promise.all(started.splice(0).map((c) => c.stop()));
  });

  afterAll(async () => {
    await client.close();
    await Promise.all(namespaces.map((ns) => deleteNamespace(ns)));
  });

  async function streamWith(messages: number): Promise<string> {
    const ns = uniqueName('bc');
    namespaces.push(ns);
    await ensureEventStream(client, { namespace: ns, maxAgeSeconds: 0, duplicateWindowSeconds: 60, replicas: 1 });
    for (let i = 1; i <= messages; i++) await client.js.publish(`${ns}.evt.acme.audit`, `m${i}`);
    return ns;
  }

  function consumer(ns: string, handler: (b: ConsumedMessage[]) => Promise<void>, batchSize = 4, ackWaitMs = 2000) {
    const c = new BatchConsumer(
      client,
      { stream: `${ns}-events`, durable: 'd', filterSubject: `${ns}.evt.>`, batchSize, fetchExpiresMs: 1000, ackWaitMs },
      handler,
      log,
    );
    started.push(c);
    return c;
  }

  async function consumerState(ns: string) {
    const info = await client.jsm.consumers.info(`${ns}-events`, 'd');
    return { ackFloor: info.ack_floor.stream_seq, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
  }

  it('hands a backlog over in order, in batches sized to what is pending, acking each after the handler', async () => {
    const ns = await streamWith(10);
    const batches: number[][] = [];
    const c = consumer(ns, async (b) => {
      batches.push(b.map((m) => m.seq));
    });
    await c.ensureConsumer();
    c.start();
    await eventually(async () => ((await consumerState(ns)).ackFloor === 10 ? true : undefined));
    await c.stop();
    // The first fetch asks for one message; it says 9 more wait, so the next asks for a full batch.
    expect(batches).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9], [10]]);
    expect(await consumerState(ns)).toEqual({ ackFloor: 10, ackPending: 0, redelivered: 0 });
  });

  it('retries the same batch while the handler fails, without redeliveries, and moves on once it succeeds', async () => {
    const ns = await streamWith(3);
    const attempts: number[][] = [];
    const c = consumer(ns, async (b) => {
      attempts.push(b.map((m) => m.seq));
      if (attempts.length <= 3) throw new Error('database down');
    }, 4, 2000);
    await c.ensureConsumer();
    c.start();
    // Three failures with backoff (about 0.4 + 0.8 + 1.6 s) outlast the 2 s ack wait.
    await eventually(async () => ((await consumerState(ns)).ackFloor === 3 ? true : undefined), 20_000);
    await c.stop();
    expect(attempts.slice(0, 4)).toEqual([[1], [1], [1], [1]]);
    expect(attempts.flat()).toEqual([1, 1, 1, 1, 2, 3]);
    expect((await consumerState(ns)).redelivered).toBe(0);
  });

  it('gives the batch in hand back when stopped before it succeeded, so another consumer gets it', async () => {
    const ns = await streamWith(2);
    let calls = 0;
    const failing = consumer(ns, async () => {
      calls++;
      throw new Error('database down');
    }, 4, 60_000);
    await failing.ensureConsumer();
    failing.start();
    await eventually(async () => (calls > 0 ? true : undefined));
    await failing.stop();
    expect((await consumerState(ns)).ackFloor).toBe(0);

    const seen: number[] = [];
    const next = consumer(ns, async (b) => {
      seen.push(...b.map((m) => m.seq));
    }, 4, 60_000);
    next.start();
    // Given back (nak), not left to the ack wait: it returns at once. Redelivery
    // order is not stream order, which the projector copes with.
    await eventually(async () => ((await consumerState(ns)).ackFloor === 2 ? true : undefined), 10_000);
    await next.stop();
    expect([...new Set(seen)].sort()).toEqual([1, 2]);
  });
});
