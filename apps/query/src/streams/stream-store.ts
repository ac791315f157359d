import type { KV } from '@nats-io/kv';
import { liveEntries } from '@runtrail/auth';
import type { Principal, StreamView } from '@runtrail/contracts';
import type { NatsClient } from '@runtrail/messaging';

/** A stream as it was set up (what its view shows but its state), and whether it is paused. */
export interface StreamDefinition extends Omit<StreamView, 'state'> {
  /** The first stream sequence it delivers from: 1 from the beginning, else the stream's end when it was created. */
  startSeq: number;
  paused: boolean;
  updatedAt: string;
  createdBy: Principal;
}

/** Where a stream's delivery stands, written by whoever delivers it. */
export interface StreamProgress {
  lastDeliveredAt: string | null;
  lastError: string | null;
  /** Since when deliveries fail without a success between; null while they succeed. */
  failingSince: string | null;
}

export const NO_PROGRESS: StreamProgress = { lastDeliveredAt: null, lastError: null, failingSince: null };

/** Entries retention removed before the stream delivered them, in all (docs/retention.md#streams). */
export interface StreamMisses {
  entries: number;
  /** When the latest removal that took some happened, and its cutoff. */
  at: string;
  receivedBefore: string;
}

const ID = /^[0-9a-f-]{36}$/;

/**
 * Streams in a JetStream KV bucket (`<ns>-streams`): `stream.<id>` the definition,
 * `secret.<id>` its secret (read by the deliverer only, never answered), `progress.<id>` where
 * its delivery stands (the deliverer's alone), `missed.<id>` what retention removed before it
 * was delivered (retention's alone, so neither overwrites the other). In NATS beside the stream's own durable consumer, so a table rebuild
 * leaves them alone and every replica reads the same (docs/streams.md).
 */
export class StreamStore {
  private constructor(private readonly kv: KV) {}

  static async open(client: NatsClient, namespace: string, replicas: number): Promise<StreamStore> {
    return new StreamStore(await client.kvm.create(`${namespace}-streams`, { history: 1, replicas }));
  }

  async create(definition: StreamDefinition, secret: string | undefined): Promise<void> {
    if (secret !== undefined) await this.kv.put(`secret.${definition.id}`, secret);
    await this.kv.create(`stream.${definition.id}`, JSON.stringify(definition));
  }

  async get(id: string): Promise<StreamDefinition | undefined> {
    if (!ID.test(id)) return undefined;
    const entry = await this.kv.get(`stream.${id}`);
    return entry?.operation === 'PUT' ? entry.json<StreamDefinition>() : undefined;
  }

  async list(): Promise<StreamDefinition[]> {
    return (await liveEntries(this.kv, 'stream.')).map((e) => e.json<StreamDefinition>());
  }

  async save(definition: StreamDefinition): Promise<void> {
    await this.kv.put(`stream.${definition.id}`, JSON.stringify(definition));
  }

  async secret(id: string): Promise<string | undefined> {
    const entry = await this.kv.get(`secret.${id}`);
    return entry?.operation === 'PUT' ? entry.string() : undefined;
  }

  async progress(id: string): Promise<StreamProgress> {
    const entry = await this.kv.get(`progress.${id}`);
    return entry?.operation === 'PUT' ? entry.json<StreamProgress>() : NO_PROGRESS;
  }

  async setProgress(id: string, progress: StreamProgress): Promise<void> {
    await this.kv.put(`progress.${id}`, JSON.stringify(progress));
  }

  async misses(id: string): Promise<StreamMisses | null> {
    const entry = await this.kv.get(`missed.${id}`);
    return entry?.operation === 'PUT' ? entry.json<StreamMisses>() : null;
  }

  /** Adds `entries` to what the stream missed; answers the new total. */
  async addMisses(id: string, entries: number, at: string, receivedBefore: string): Promise<StreamMisses> {
    const total: StreamMisses = { entries: ((await this.misses(id))?.entries ?? 0) + entries, at, receivedBefore };
    await this.kv.put(`missed.${id}`, JSON.stringify(total));
    return total;
  }

  async remove(id: string): Promise<void> {
    for (const key of ['stream', 'secret', 'progress', 'missed']) await this.kv.delete(`${key}.${id}`);
  }
}
