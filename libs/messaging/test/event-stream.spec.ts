import { eventStreamName, eventStreamSubjects, eventSubject } from '@runtrail/contracts';
import { deleteNamespace, uniqueName, NATS_URL, NatsServerProcess } from '@runtrail/testing';
import { DependencyUnavailableError } from '@runtrail/platform';
import { AckPolicy, DiscardPolicy, StorageType } from '@nats-io/jetstream';
import pino from 'pino';
import { EventPublisher, EventStreamMissingError, NatsClient, PersonalDataVault, ensureEventStream, eventStreamConfig, eventStreamDeniesDelete, deleteTenantFacts } from '../src';

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
      deny_delete: false,
      deny_purge: true,
    });
  });

  it("deletes one tenant's log-entry facts in a range of sequences, and nothing else, leaving consumers what they hold", async () => {
    const ns = uniqueName('purge');
    try {
      await ensureEventStream(client, options(ns));
      const publisher = new EventPublisher(client, ns);
      const put = (subject: string) => publisher.publishAll([{ subject, data: Buffer.from(subject), msgID: `${subject}-${Math.random()}` }]).then(([ack]) => ack.seq);
      const subjects = [
        eventSubject(ns, 'acme', 'audit'), eventSubject(ns, 'acme', 'run'), eventSubject(ns, 'acme', 'schedule'), eventSubject(ns, 'other', 'audit'),
        `${ns}.evt.acme.audit`, `${ns}.evt.acme.cmd.runner-1`, eventSubject(ns, 'acme', 'audit'),
      ];
      const seqs: number[] = [];
      for (const subject of subjects) seqs.push(await put(subject));
      // A consumer of acme's facts holds the first four unacknowledged.
      await client.jsm.consumers.add(eventStreamName(ns), { durable_name: 'reader', ack_policy: AckPolicy.Explicit, filter_subject: `${ns}.part.*.acme.>`, ack_wait: 500_000_000 });
      const reader = await client.js.consumers.get(eventStreamName(ns), 'reader');
      const held: number[] = [];
      for await (const m of await reader.fetch({ max_messages: 4, expires: 2000 })) held.push(m.seq);
      expect(held).toEqual([seqs[0], seqs[1], seqs[2], seqs[6]]);
      // Up to and including the sixth message: acme's audit and run facts among them go, in both layouts.
      expect(await deleteTenantFacts(client, ns, 'acme', 1, seqs[5])).toBe(3);
      const left: string[] = [];
      for (let seq = 1; seq <= seqs[6]; seq++) {
        const m = await client.jsm.streams.getMessage(eventStreamName(ns), { seq }).catch(() => undefined);
        if (m) left.push(m.subject);
      }
      expect(left).toEqual([subjects[2], subjects[3], subjects[5], subjects[6]]);
      expect(await deleteTenantFacts(client, ns, 'acme', 1, seqs[5])).toBe(0);
      // What the consumer held and was not deleted comes again; nothing else is lost to it (a purge would drop it all).
      const again: number[] = [];
      for await (const m of await reader.fetch({ max_messages: 4, expires: 2000 })) {
        again.push(m.seq);
        m.ack();
      }
      expect(again).toEqual([seqs[2], seqs[6]]);
    } finally {
      await deleteNamespace(ns);
    }
  });

  it('keeps an older stream that denies deletes as it is (JetStream cannot lift that)', async () => {
    const ns = uniqueName('denied');
    try {
      await client.jsm.streams.add({ ...eventStreamConfig(options(ns)), deny_delete: true });
      await ensureEventStream(client, { ...options(ns), duplicateWindowSeconds: 60 });
      const info = await client.jsm.streams.info(eventStreamName(ns));
      expect(info.config).toMatchObject({ deny_delete: true, duplicate_window: 60 * 1e9 });
      expect(await eventStreamDeniesDelete(client, ns)).toBe(true);
    } finally {
      await deleteNamespace(ns);
    }
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
