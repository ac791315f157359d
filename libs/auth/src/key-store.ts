import type { KV } from '@nats-io/kv';
import { authBucketName } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';
import { BACKOFF, Backoff, sleep } from '@runtrail/platform/retry';
import type { Logger } from 'pino';
import type { ApiKeyRecord } from './api-key-record';
import { liveEntries } from './kv-entries';

const KEY_PREFIX = 'key.';
const ID_PREFIX = 'id.';
const USED_PREFIX = 'used.';
/** `lastUsedAt` is written at most this often per key and process: a minute's precision. */
const USED_WRITE_INTERVAL_MS = 60_000;

/**
 * API keys live in a JetStream key-value bucket, not in Postgres, so the ingest
 * gateway authenticates without a database (it must keep accepting events while
 * Postgres is down). Every service keeps a cache fed by a watch on the bucket, so a
 * revocation reaches all of them within moments; a cache miss falls back to a read.
 */
export class KeyStore {
  private readonly byHash = new Map<string, ApiKeyRecord>();
  /**
   * A key's id -> the hash of its secret, which never changes in the key's life (a rotation
   * makes a new key, with a new id), so it is never dropped; the record always comes from `byHash`.
   */
  private readonly hashById = new Map<string, string>();
  private readonly usedWrittenAt = new Map<string, number>();

  private constructor(
    readonly kv: KV,
    private readonly log: Logger,
  ) {}

  static async open(client: NatsClient, namespace: string, replicas: number, log: Logger): Promise<KeyStore> {
    const kv = await client.kvm.create(authBucketName(namespace), { history: 5, replicas });
    const store = new KeyStore(kv, log);
    void store.watchForever();
    return store;
  }

  /**
   * Keeps the cache in step with the bucket. If the watch ever ends, the cache is
   * dropped (so no revoked key stays valid from it) and the watch starts again.
   */
  private async watchForever(): Promise<void> {
    const backoff = new Backoff(BACKOFF.dependency);
    for (;;) {
      try {
        const watcher = await this.kv.watch({ key: `${KEY_PREFIX}>` });
        for await (const entry of watcher) {
          backoff.reset();
          const hash = entry.key.slice(KEY_PREFIX.length);
          if (entry.operation === 'PUT') this.remember(hash, entry.json<ApiKeyRecord>());
          else this.byHash.delete(hash);
        }
      } catch (err) {
        this.log.warn({ err }, 'API key watch failed; restarting it');
      }
      this.byHash.clear();
      await sleep(backoff.next());
    }
  }

  private remember(hash: string, record: ApiKeyRecord): void {
    this.byHash.set(hash, record);
    this.hashById.set(record.id, hash);
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const cached = this.byHash.get(hash);
    if (cached) return cached;
    const entry = await this.kv.get(`${KEY_PREFIX}${hash}`);
    if (!entry || entry.operation !== 'PUT') return undefined;
    const record = entry.json<ApiKeyRecord>();
    this.remember(hash, record);
    return record;
  }

  async save(hash: string, record: ApiKeyRecord): Promise<void> {
    await this.kv.put(`${ID_PREFIX}${record.id}`, hash);
    await this.kv.put(`${KEY_PREFIX}${hash}`, JSON.stringify(record));
    this.remember(hash, record);
  }

  /** The hash comes from the cache, or from `id.<id>` on a miss; the record as `findByHash` finds it. */
  async findById(id: string): Promise<{ hash: string; record: ApiKeyRecord } | undefined> {
    if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
    let hash = this.hashById.get(id);
    if (hash === undefined) {
      const idEntry = await this.kv.get(`${ID_PREFIX}${id}`);
      if (!idEntry || idEntry.operation !== 'PUT') return undefined;
      hash = idEntry.string();
      this.hashById.set(id, hash);
    }
    const record = await this.findByHash(hash);
    return record ? { hash, record } : undefined;
  }

  /**
   * Records that a key was used, without delaying the request: one bucket write per key
   * per minute and process, kept apart from the key record (`used.<id>`) so it never
   * races a revocation or a rotation, and never stirs the key watch.
   */
  touch(id: string, now = Date.now()): void {
    const last = this.usedWrittenAt.get(id);
    if (last !== undefined && now - last < USED_WRITE_INTERVAL_MS) return;
    this.usedWrittenAt.set(id, now);
    // On failure (NATS down) the next attempt comes a minute later, not on every request.
    this.kv.put(`${USED_PREFIX}${id}`, new Date(now).toISOString()).catch((err: unknown) => {
      this.log.warn({ err }, 'could not record when an API key was last used');
    });
  }

  /** When each key was last used, as far as the bucket knows (to the minute). */
  async lastUsed(): Promise<Map<string, string>> {
    const entries = await liveEntries(this.kv, USED_PREFIX);
    return new Map(entries.map((e) => [e.key.slice(USED_PREFIX.length), e.string()]));
  }

  /** Every key record, read from the bucket (not the cache) so a list is never stale. */
  async list(): Promise<ApiKeyRecord[]> {
    return (await liveEntries(this.kv, KEY_PREFIX)).map((e) => e.json<ApiKeyRecord>());
  }
}
