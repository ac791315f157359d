import type { NatsClient } from '@runtrail/messaging';
import pino from 'pino';
import { generateApiKey, hashApiKey } from './api-key';
import type { ApiKeyRecord } from './api-key-record';
import { KeyStore } from './key-store';

interface WatchEntry {
  key: string;
  operation: 'PUT' | 'DEL';
  json: <T>() => T;
}

/** A bucket in memory that records every read, and whose watch reports what a test pushes. */
class CountingKv {
  readonly entries = new Map<string, string>();
  readonly reads: string[] = [];
  private readonly pending: WatchEntry[] = [];
  private wake: (() => void) | undefined;

  async get(key: string) {
    this.reads.push(key);
    const value = this.entries.get(key);
    return value === undefined ? null : { key, operation: 'PUT', string: () => value, json: <T>() => JSON.parse(value) as T };
  }

  async put(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
  }

  /** A write by another process: into the bucket, and reported by the watch. */
  putElsewhere(key: string, value: string): void {
    this.entries.set(key, value);
    this.pending.push({ key, operation: 'PUT', json: <T>() => JSON.parse(value) as T });
    this.wake?.();
  }

  async watch(): Promise<AsyncIterable<WatchEntry>> {
    const next = async (): Promise<IteratorResult<WatchEntry>> => {
      while (this.pending.length === 0) await new Promise<void>((r) => (this.wake = r));
      return { value: this.pending.shift() as WatchEntry, done: false };
    };
    return { [Symbol.asyncIterator]: () => ({ next }) };
  }
}

/** Lets the watch loop take what was pushed. */
const settle = () => new Promise((r) => setImmediate(r));

describe('KeyStore.findById', () => {
  const record: ApiKeyRecord = {
    id: '8d7c1c5e-7a8e-4f57-9b8a-1d0b3f0d6a11',
    tenantId: 'acme',
    name: 'ci',
    principalType: 'Application',
    scopes: ['audit:read', 'admin'],
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  };
  const hash = hashApiKey(generateApiKey());
  let kv: CountingKv;
  let store: KeyStore;

  beforeEach(async () => {
    kv = new CountingKv();
    const client = { kvm: { create: async () => kv } } as unknown as NatsClient;
    store = await KeyStore.open(client, 'test', 1, pino({ level: 'silent' }));
  });

  it('reads the bucket on the first look-up of a key made elsewhere, and not on the second', async () => {
    kv.entries.set(`id.${record.id}`, hash);
    kv.entries.set(`key.${hash}`, JSON.stringify(record));
    await expect(store.findById(record.id)).resolves.toEqual({ hash, record });
    expect(kv.reads).toEqual([`id.${record.id}`, `key.${hash}`]);
    kv.reads.length = 0;
    await expect(store.findById(record.id)).resolves.toEqual({ hash, record });
    expect(kv.reads).toEqual([]);
  });

  it('reads nothing for a key this process saved, or one the watch reported', async () => {
    await store.save(hash, record);
    const other = { ...record, id: '5f0c8a47-3d1e-4c8f-9a51-0b7e2d6c4f10' };
    const otherHash = hashApiKey(generateApiKey());
    kv.putElsewhere(`key.${otherHash}`, JSON.stringify(other));
    await settle();
    await expect(store.findById(record.id)).resolves.toEqual({ hash, record });
    await expect(store.findById(other.id)).resolves.toEqual({ hash: otherHash, record: other });
    expect(kv.reads).toEqual([]);
  });

  it('answers a revocation as soon as the watch reports it', async () => {
    await store.save(hash, record);
    await store.findById(record.id);
    const revoked = { ...record, revokedAt: '2026-01-02T00:00:00.000Z' };
    kv.putElsewhere(`key.${hash}`, JSON.stringify(revoked));
    await settle();
    await expect(store.findById(record.id)).resolves.toEqual({ hash, record: revoked });
    expect(kv.reads).toEqual([]);
  });

  it('answers nothing for an unknown id', async () => {
    await expect(store.findById('00000000-0000-4000-8000-000000000000')).resolves.toBeUndefined();
    await expect(store.findById('not-an-id')).resolves.toBeUndefined();
  });
});
