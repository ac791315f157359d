import type { AuditEvent, EventEnvelope } from '@runtrail/contracts';
import { eventStreamName } from '@runtrail/contracts';
import { openAuditEvent } from '@runtrail/integrity';
import { auditEvent, deleteNamespace, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import { EventPublisher, NatsClient, PersonalDataVault, SubmissionGroupCommit, ensureEventStream } from '../src';

const log = pino({ level: 'silent' });

/** An event whose personal fields differ from those of every other i. */
const event = (i: number) => auditEvent({ eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, entityId: `srv-${i}`, entityName: `server ${i}`, sourceId: `user-${i % 3}`, sourceName: `User ${i % 3}`, context: { ip_address: `10.0.0.${i}` } }) as unknown as AuditEvent;

describe('grouped submissions (real JetStream)', () => {
  let client: NatsClient;
  const ns = uniqueName('groups');

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'groups-test' }, log);
    await ensureEventStream(client, { namespace: ns, maxAgeSeconds: 0, duplicateWindowSeconds: 120, replicas: 1 });
  });

  afterAll(async () => {
    await client.close();
    await deleteNamespace(ns);
  });

  it('stores concurrent single events in fewer messages, each event once, in order, with its values in the vault entry its message names', async () => {
    const vault = await PersonalDataVault.open(client, ns, 1);
    const publisher = new EventPublisher(client, ns, vault);
    const groups = new SubmissionGroupCommit((h, e) => publisher.publishEvents(h, e));
    const submitter = { type: 'Application' as const, id: 'k1', name: 'ci' };
    const sent = Array.from({ length: 60 }, (_, i) => event(i));
    await Promise.all(sent.map((e, i) => groups.submit({ kind: 'audit', tenantId: 'acme', submitter, receivedAt: new Date(Date.UTC(2026, 10, 30, 12, 0, 0, i)).toISOString() }, [e])));

    const messages = (await client.jsm.streams.info(eventStreamName(ns))).state.messages;
    expect(messages).toBeGreaterThan(1);
    expect(messages).toBeLessThan(sent.length);
    const stored: AuditEvent[] = [];
    for (let seq = 1; seq <= messages; seq++) {
      const message = await client.jsm.streams.getMessage(eventStreamName(ns), { seq });
      if (!message) throw new Error(`message ${seq} is missing`);
      const envelope = message.json<EventEnvelope<AuditEvent>>();
      expect(envelope).toMatchObject({ kind: 'audit', tenantId: 'acme', submitter });
      const values = await vault.values(envelope.vault as string);
      stored.push(...envelope.events.map((e) => openAuditEvent(e, values, vault.digests.of('acme')).item));
    }
    expect(stored).toEqual(sent);
  });
});
