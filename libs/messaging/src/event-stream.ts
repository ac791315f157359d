import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { eventStreamName, eventSubjectFilter } from '@runtrail/contracts';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import type { NatsClient } from './nats-client';

export interface EventStreamOptions {
  namespace: string;
  /** 0 keeps events forever (the default: the stream is the record). */
  maxAgeSeconds: number;
  /** How long a repeated msgID is recognised by the server. */
  duplicateWindowSeconds: number;
  replicas: number;
}

export const MAX_MESSAGE_BYTES = 1024 * 1024;

export function eventStreamConfig(o: EventStreamOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: eventStreamName(o.namespace),
    subjects: [eventSubjectFilter(o.namespace)],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    max_age: nanos(o.maxAgeSeconds * 1000),
    // An audit log must refuse new writes rather than silently drop old records
    // when a size limit is ever configured.
    discard: DiscardPolicy.New,
    duplicate_window: nanos(o.duplicateWindowSeconds * 1000),
    num_replicas: o.replicas,
    max_msg_size: MAX_MESSAGE_BYTES,
    // Nobody deletes from or purges the record; retention is max_age alone.
    deny_delete: true,
    deny_purge: true,
  };
}

/**
 * Creates the event stream, or brings an existing one to the configured settings.
 * Several services run this at start; "already exists" races are retried.
 */
export async function ensureEventStream(client: NatsClient, options: EventStreamOptions): Promise<void> {
  const config = eventStreamConfig(options);
  await retry(
    async () => {
      const info = await client.jsm.streams.info(config.name).catch(() => undefined);
      if (info) await client.jsm.streams.update(config.name, { ...info.config, ...config });
      else await client.jsm.streams.add(config);
    },
    { policy: BACKOFF.dependency, maxAttempts: 4 },
  );
}
