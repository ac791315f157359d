import type { AuditEvent } from '@runtrail/contracts';
import { auditEvent, deleteNamespace, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import { NatsClient, PersonalDataVault } from '../src';

const log = pino({ level: 'silent' });

/** An event whose personal fields differ from those of every other i. */
const event = (i: number) => auditEvent({ eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, entityId: `srv-${i}`, entityName: `server ${i}`, sourceId: `user-${i % 3}`, sourceName: `User ${i % 3}` }) as unknown as AuditEvent;

describe('personal data vault (real JetStream KV)', () => {
  let client: NatsClient;
  let vault: PersonalDataVault;
  const ns = uniqueName('vault');

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'vault-test' }, log);
    vault = await PersonalDataVault.open(client, ns, 1);
  });

  afterAll(async () => {
    await client.close();
    await deleteNamespace(ns);
  });

  it('keeps both erasures when two rewrite one entry at once', async () => {
    const sealed = await vault.seal('audit', 'acme', [event(100), event(101)]);
    const key = sealed.vault as string;
    const [a, b] = sealed.batch.events.map((e) => e.entityId as string);
    const results = await Promise.all([vault.forget(key, [a]), vault.forget(key, [b])]);
    expect(results).toEqual([1, 1]);
    const held = await vault.values(key);
    expect(Object.hasOwn(held, a)).toBe(false);
    expect(Object.hasOwn(held, b)).toBe(false);
    expect(held[sealed.batch.events[0].entityName as string]).toBe('server 100');
  });
});
