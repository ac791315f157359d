import { deleteNamespace, eventually, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import { NatsClient, PullLoop, ensureDurableConsumer, ensureEventStream, isStreamOrConsumerMissing, type BatchHandler, type PullLoopOptions } from '../src';

const log = pino({ level: 'silent' });

describe('PullLoop (real JetStream)', () => {
  let client: NatsClient;
  const namespaces: string[] = [];
  const started: PullLoop[] = [];

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

  async function consumer(ns: string, handler: BatchHandler, batchSize = 4, ackWaitMs = 2000, extra: Partial<PullLoopOptions> = {}) {
    await ensureDurableConsumer(client, { stream: `${ns}-events`, durable: 'd', filterSubject: `${ns}.evt.>`, ackWaitMs, maxAckPending: 1000 });
    const c = new PullLoop(client, { stream: `${ns}-events`, durable: 'd', batchSize, fetchExpiresMs: 1000, workingEveryMs: ackWaitMs / 4, ...extra }, handler);
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
    const c = await consumer(ns, async (b) => {
      batches.push(b.map((m) => m.seq));
    });
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
    const c = await consumer(ns, async (b) => {
      attempts.push(b.map((m) => m.seq));
      if (attempts.length <= 4) throw new Error('database down');
    }, 4, 2000);
    c.start();
    // Four failures with backoff (0.25 + 0.5 + 1 + 2 s) outlast the 2 s ack wait.
    await eventually(async () => ((await consumerState(ns)).ackFloor === 3 ? true : undefined), 20_000);
    await c.stop();
    expect(attempts.slice(0, 5)).toEqual([[1], [1], [1], [1], [1]]);
    expect(attempts.flat()).toEqual([1, 1, 1, 1, 1, 2, 3]);
    expect((await consumerState(ns)).redelivered).toBe(0);
  });

  it("waits between a failing handler's attempts as its owner's policy says, or as long as the error asks", async () => {
    const ns = await streamWith(1);
    const failures: { delayMs: number }[] = [];
    let attempts = 0;
    const c = new PullLoop(
      client,
      { stream: `${ns}-events`, durable: 'd', batchSize: 4, fetchExpiresMs: 1000, workingEveryMs: 500, handlerBackoff: { baseMs: 10, capMs: 40, jitter: 'none' } },
      async () => {
        attempts++;
        if (attempts === 4) throw Object.assign(new Error('receiver says later'), { retryAfterMs: 120 });
        if (attempts <= 4) throw new Error('receiver down');
      },
      { handlerFailed: (_err, _attempt, delayMs) => failures.push({ delayMs }) },
    );
    await ensureDurableConsumer(client, { stream: `${ns}-events`, durable: 'd', filterSubject: `${ns}.evt.>`, ackWaitMs: 2000, maxAckPending: 1000 });
    started.push(c);
    c.start();
    await eventually(async () => ((await consumerState(ns)).ackFloor === 1 ? true : undefined));
    expect(failures.map((f) => f.delayMs)).toEqual([10, 20, 40, 120]);
  });

  it('gives the batch in hand back when stopped before it succeeded, so another consumer gets it', async () => {
    const ns = await streamWith(2);
    let calls = 0;
    const failing = await consumer(ns, async () => {
      calls++;
      throw new Error('database down');
    }, 4, 60_000);
    failing.start();
    await eventually(async () => (calls > 0 ? true : undefined));
    await failing.stop();
    expect((await consumerState(ns)).ackFloor).toBe(0);

    const seen: number[] = [];
    const next = await consumer(ns, async (b) => {
      seen.push(...b.map((m) => m.seq));
    }, 4, 60_000);
    next.start();
    // Given back (nak), not left to the ack wait: it returns at once. Redelivery
    // order is not stream order, which the projector copes with.
    await eventually(async () => ((await consumerState(ns)).ackFloor === 2 ? true : undefined), 10_000);
    await next.stop();
    expect([...new Set(seen)].sort()).toEqual([1, 2]);
  });

  it('settles a batch as its handler says: terminated for good, or given back after a delay', async () => {
    const ns = await streamWith(2);
    const seen: number[] = [];
    const c = await consumer(ns, async ([m]) => {
      seen.push(m.seq);
      // The first message is refused for good; the second is given back once, then taken.
      if (m.seq === 1) return 'term';
      return seen.filter((s) => s === 2).length === 1 ? { nakDelayMs: 300 } : 'ack';
    }, 1, 60_000);
    c.start();
    await eventually(async () => (seen.filter((s) => s === 2).length === 2 ? true : undefined), 10_000);
    await eventually(async () => ((await consumerState(ns)).ackPending === 0 ? true : undefined));
    await c.stop();
    expect(seen).toEqual([1, 2, 2]);
    const state = await consumerState(ns);
    expect(state.ackFloor).toBe(2);
  });

  it('stops at once while a long fetch waits, when told to interrupt it', async () => {
    const ns = await streamWith(0);
    const c = await consumer(ns, async () => undefined, 1, 60_000, { fetchExpiresMs: 30_000, onStop: 'interrupt' });
    c.start();
    // The loop is inside its first 30-second fetch once the consumer has a waiting pull request.
    await eventually(async () => ((await client.jsm.consumers.info(`${ns}-events`, 'd')).num_waiting > 0 ? true : undefined));
    const stopped = Date.now();
    await c.stop();
    expect(Date.now() - stopped).toBeLessThan(5000);
  });

  it('tells its owner of failed fetches, and when fetching works again', async () => {
    const ns = await streamWith(1);
    const failures: number[] = [];
    let resumed = 0;
    // A durable that does not exist yet: every attempt fails until it is created.
    const c = new PullLoop(client, { stream: `${ns}-events`, durable: 'late', batchSize: 1, fetchExpiresMs: 1000, workingEveryMs: 500 }, async () => undefined, {
      fetchFailed: (_e, n) => failures.push(n),
      resumed: () => resumed++,
    });
    started.push(c);
    c.start();
    await eventually(async () => (failures.length >= 2 ? true : undefined));
    await ensureDurableConsumer(client, { stream: `${ns}-events`, durable: 'late', filterSubject: `${ns}.evt.>`, ackWaitMs: 2000, maxAckPending: 10 });
    await eventually(async () => (resumed === 1 ? true : undefined), 15_000);
    await c.stop();
    expect(failures.slice(0, 2)).toEqual([1, 2]);
  });

  it('makes its consumer again once its deleted stream is back, and reads it from the start', async () => {
    const ns = await streamWith(2);
    const spec = { stream: `${ns}-events`, durable: 'd', filterSubject: `${ns}.evt.>`, ackWaitMs: 2000, maxAckPending: 10 };
    const seen: number[] = [];
    const errors: unknown[] = [];
    let resumed = 0;
    await ensureDurableConsumer(client, spec);
    const c = new PullLoop(
      client,
      { stream: spec.stream, durable: 'd', batchSize: 4, fetchExpiresMs: 1000, workingEveryMs: 500, ensureConsumer: () => ensureDurableConsumer(client, spec) },
      async (b) => void seen.push(...b.map((m) => m.seq)),
      { fetchFailed: (e) => errors.push(e), resumed: () => resumed++ },
    );
    started.push(c);
    c.start();
    await eventually(async () => (seen.length === 2 ? true : undefined));
    await client.jsm.streams.delete(spec.stream);
    await eventually(async () => (errors.length >= 2 ? true : undefined), 15_000);
    expect(errors.every(isStreamOrConsumerMissing)).toBe(true);
    await ensureEventStream(client, { namespace: ns, maxAgeSeconds: 0, duplicateWindowSeconds: 60, replicas: 1 });
    for (let i = 1; i <= 3; i++) await client.js.publish(`${ns}.evt.acme.audit`, `n${i}`);
    await eventually(async () => (seen.length === 5 ? true : undefined), 15_000);
    await c.stop();
    expect(seen).toEqual([1, 2, 1, 2, 3]);
    expect(resumed).toBe(1);
  });
});
