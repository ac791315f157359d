import type { KV } from '@nats-io/kv';
import type { AuthContext } from '@runtrail/auth';
import type { NatsClient } from '@runtrail/messaging';
import type { Logger } from 'pino';
import type { OwnAct, TimelineRecorder } from '../src/shared/timeline/timeline-recorder';

interface Stored {
  value: string;
  revision: number;
}

/**
 * An in-memory JetStream KV bucket with the calls the stores make (revisions and
 * compare-and-set included), so the real stores run in unit specs without NATS.
 */
export class FakeKv {
  private readonly entries = new Map<string, Stored>();
  private revision = 0;

  async create(key: string, value: string): Promise<number> {
    if (this.entries.has(key)) throw new Error('wrong last sequence');
    return this.write(key, value);
  }

  async put(key: string, value: string): Promise<number> {
    return this.write(key, value);
  }

  async update(key: string, value: string, expected: number): Promise<number> {
    if (this.entries.get(key)?.revision !== expected) throw new Error('wrong last sequence');
    return this.write(key, value);
  }

  async get(key: string) {
    const e = this.entries.get(key);
    return e ? { key, operation: 'PUT', revision: e.revision, string: () => e.value, json: <T>() => JSON.parse(e.value) as T } : null;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async keys(filter: string): Promise<AsyncIterable<string>> {
    const prefix = filter.replace(/>$/, '');
    const keys = [...this.entries.keys()].filter((k) => k.startsWith(prefix));
    return (async function* () {
      yield* keys;
    })();
  }

  /** A watch that never reports a change: the stores' caches are filled by their own writes. */
  async watch(): Promise<AsyncIterable<never>> {
    return { [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => undefined) }) };
  }

  private write(key: string, value: string): number {
    this.entries.set(key, { value, revision: ++this.revision });
    return this.revision;
  }
}

/** A NatsClient whose key-value manager hands out one FakeKv per bucket name. */
export function fakeNatsClient(): NatsClient {
  const buckets = new Map<string, FakeKv>();
  const create = async (name: string) => {
    if (!buckets.has(name)) buckets.set(name, new FakeKv());
    return buckets.get(name) as unknown as KV;
  };
  return { kvm: { create } } as unknown as NatsClient;
}

/** A logger for the stores that says nothing. */
export const quietLogger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as Logger;

/** A timeline recorder that keeps the acts it was given. */
export function recordingTimeline(): { acts: OwnAct[]; recorder: TimelineRecorder } {
  const acts: OwnAct[] = [];
  const recorder = { record: async (_auth: AuthContext, act: OwnAct) => void acts.push(act) };
  return { acts, recorder: recorder as unknown as TimelineRecorder };
}
