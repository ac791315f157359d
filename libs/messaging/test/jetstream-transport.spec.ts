import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { deleteNamespace, eventually, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import {
  EventPublisher,
  JetStreamContext,
  JetStreamServer,
  NatsClient,
  ensureEventStream,
  useJetStreamErrors,
  type ConsumedMessage,
  type Settlement,
} from '../src';

const log = pino({ level: 'silent' });

/** What the handler saw, and what it should do next. */
const seen: { consumer: string; seqs: number[]; texts: string[] }[] = [];
let failuresLeft = 0;
let settlement: Settlement | undefined;

@Controller()
class ProbeHandler {
  @EventPattern('probe.batches')
  async handle(@Payload() batch: ConsumedMessage[], @Ctx() ctx: JetStreamContext): Promise<Settlement | undefined> {
    seen.push({ consumer: ctx.getConsumer(), seqs: batch.map((m) => m.seq), texts: batch.map((m) => Buffer.from(m.data).toString()) });
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('database down');
    }
    return settlement;
  }
}

@Module({ controllers: [ProbeHandler] })
class ProbeModule {}

describe('JetStream transport for Nest microservices (real JetStream)', () => {
  let client: NatsClient;
  let app: INestMicroservice;
  const ns = uniqueName('jst');
  const stream = `${ns}-events`;
  const handlerErrors: unknown[] = [];

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'transport-test' }, log);
    await ensureEventStream(client, { namespace: ns, maxAgeSeconds: 0, duplicateWindowSeconds: 60, replicas: 1 });
    const server = new JetStreamServer(client, [
      {
        pattern: 'probe.batches',
        stream,
        durable: 'probe',
        consumer: { filterSubject: `${ns}.evt.>`, ackWaitMs: 5000, maxAckPending: 100 },
        batchSize: 10,
        fetchExpiresMs: 1000,
        workingEveryMs: 1000,
        events: { handlerFailed: (error) => handlerErrors.push(error) },
      },
    ]);
    app = useJetStreamErrors(await NestFactory.createMicroservice(ProbeModule, { strategy: server, logger: false }));
    await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await client.close();
    await deleteNamespace(ns);
  });

  beforeEach(() => {
    seen.length = 0;
    handlerErrors.length = 0;
    failuresLeft = 0;
    settlement = undefined;
  });

  const acked = async () => (await client.jsm.consumers.info(stream, 'probe')).ack_floor.stream_seq;

  it('hands what a ClientProxy emits to the @EventPattern handler, with its consumer, and acks it', async () => {
    const publisher = new EventPublisher(client, ns);
    const acks = await publisher.publishAll(['a', 'b'].map((t, i) => ({ subject: `${ns}.evt.acme.audit`, data: Buffer.from(t), msgID: `m${i}` })));
    await eventually(async () => ((await acked()) === acks[1].seq ? true : undefined));
    expect(seen.flatMap((s) => s.texts)).toEqual(['a', 'b']);
    expect(seen.every((s) => s.consumer === 'probe')).toBe(true);
  });

  it("hands the same batch over again while its handler throws, and the transport receives the handler's own error", async () => {
    failuresLeft = 2;
    const [ack] = await new EventPublisher(client, ns).publishAll([{ subject: `${ns}.evt.acme.audit`, data: Buffer.from('c'), msgID: 'm-c' }]);
    await eventually(async () => ((await acked()) === ack.seq ? true : undefined), 10_000);
    expect(seen.map((s) => s.texts)).toEqual([['c'], ['c'], ['c']]);
    // Not Nest's generic replacement: the pull loop logs and counts the real cause.
    expect(handlerErrors.map((e) => (e as Error).message)).toEqual(['database down', 'database down']);
  });

  it('settles as the handler returns: a terminated message is never delivered again', async () => {
    settlement = 'term';
    const [ack] = await new EventPublisher(client, ns).publishAll([{ subject: `${ns}.evt.acme.audit`, data: Buffer.from('d'), msgID: 'm-d' }]);
    await eventually(async () => ((await acked()) === ack.seq ? true : undefined));
    expect(seen.map((s) => s.texts)).toEqual([['d']]);
  });
});
