import { eventStreamName, eventStreamSubjects } from '@runtrail/contracts';
import { deleteNamespace, uniqueName, NATS_URL, NatsServerProcess } from '@runtrail/testing';
import { DependencyUnavailableError } from '@runtrail/platform';
import { DiscardPolicy, StorageType } from '@nats-io/jetstream';
import pino from 'pino';
import { EventPublisher, EventStreamMissingError, NatsClient, PersonalDataVault, ensureEventStream } from '../src';

const log = pino({ level: 'silent' });
const options = (namespace: string) => ({ namespace, maxAgeSeconds: 0, duplicateWindowSeconds: 120, replicas: 1 });

describe('event stream (real JetStream)', () => {
  let client: NatsClient;
  const a = uniqueName('nsa');
  const b = uniqueName('nsb');

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'event-stream-test' }, log);
  });

  afterAll(async () => {
    await client.close();
    await deleteNamespace(a);
    await deleteNamespace(b);
  });

  it('is created durable, unlimited in age, refusing rather than dropping, and is idempotent to ensure', async () => {
    await Promise.all([ensureEventStream(client, options(a)), ensureEventStream(client, options(a))]);
    const info = await client.jsm.streams.info(eventStreamName(a));
    expect(info.config).toMatchObject({
      subjects: eventStreamSubjects(a),
      storage: StorageType.File,
      max_age: 0,
      discard: DiscardPolicy.New,
      duplicate_window: 120 * 1e9,
      deny_delete: true,
      deny_purge: true,
    });
  });

  it('keeps namespaces apart on one server', async () => {
    await ensureEventStream(client, options(b));
    const publisher = new EventPublisher(client, a);
    await publisher.publishAll([{ subject: `${a}.evt.acme.audit`, data: Buffer.from('x'), msgID: 'm1' }]);
    expect((await client.jsm.streams.info(eventStreamName(a))).state.messages).toBe(1);
    expect((await client.jsm.streams.info(eventStreamName(b))).state.messages).toBe(0);
  });

  it('stores a repeated message id once within the duplicate window', async () => {
    const publisher = new EventPublisher(client, b);
    const [first] = await publisher.publishAll([{ subject: `${b}.evt.acme.audit`, data: Buffer.from('x'), msgID: 'same' }]);
    const [again] = await publisher.publishAll([{ subject: `${b}.evt.acme.audit`, data: Buffer.from('x'), msgID: 'same' }]);
    expect(again.duplicate).toBe(true);
    expect(again.seq).toBe(first.seq);
  });

  it('refuses to make a new stream for a namespace that has run before, unless told to', async () => {
    const ns = uniqueName('lost');
    try {
      await ensureEventStream(client, options(ns));
      await PersonalDataVault.open(client, ns, 1);
      await client.jsm.streams.delete(eventStreamName(ns));
      const again = ensureEventStream(client, options(ns));
      await expect(again).rejects.toBeInstanceOf(EventStreamMissingError);
      await expect(again).rejects.toThrow(/missing, but namespace .* has run before .*nats stream restore.*RUNTRAIL_CREATE_MISSING_STREAM=1/);
      await expect(client.jsm.streams.info(eventStreamName(ns))).rejects.toThrow(/stream not found/);
      await ensureEventStream(client, { ...options(ns), createMissing: true });
      expect((await client.jsm.streams.info(eventStreamName(ns))).state.messages).toBe(0);
    } finally {
      await deleteNamespace(ns);
    }
  });

  it('fails with DependencyUnavailableError, never success, when NATS is gone', async () => {
    const server = await NatsServerProcess.start();
    const own = await NatsClient.connect({ servers: [server.url], name: 'gone-test' }, log);
    try {
      const ns = uniqueName('gone');
      await ensureEventStream(own, options(ns));
      const publisher = new EventPublisher(own, ns, null, 1000);
      await server.stop();
      await expect(
        publisher.publishAll([{ subject: `${ns}.evt.acme.audit`, data: Buffer.from('x'), msgID: 'x' }]),
      ).rejects.toBeInstanceOf(DependencyUnavailableError);
      expect(await own.ping(500)).toBe(false);
    } finally {
      await own.nc.close();
      await server.destroy();
    }
  });
});
