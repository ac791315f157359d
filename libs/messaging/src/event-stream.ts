import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { authBucketName, eventStreamName, eventStreamSubjects, personalDataBucketName } from '@runtrail/contracts';
import { BACKOFF, retry } from '@runtrail/platform/retry';
import type { NatsClient } from './nats-client';

export interface EventStreamOptions {
  namespace: string;
  /** 0 keeps events forever (the default: the stream is the record). */
  maxAgeSeconds: number;
  /** How long a repeated msgID is recognised by the server. */
  duplicateWindowSeconds: number;
  replicas: number;
  /**
   * Make the stream even where it is missing from a namespace that has run before
   * (`RUNTRAIL_CREATE_MISSING_STREAM=1`); otherwise that refuses to start. See ensureEventStream.
   */
  createMissing?: boolean;
}

export const MAX_MESSAGE_BYTES = 1024 * 1024;

export function eventStreamConfig(o: EventStreamOptions): Partial<StreamConfig> & { name: string } {
  return {
    name: eventStreamName(o.namespace),
    subjects: eventStreamSubjects(o.namespace),
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

/** A namespace that has run before has lost its event stream; the operator must restore it. */
export class EventStreamMissingError extends Error {}

/**
 * Creates the event stream, or brings an existing one to the configured settings.
 * Several services run this at start; "already exists" races are retried.
 *
 * It does not make a new stream for a namespace that has run before (its key or personal
 * data bucket exists, which every service makes right after the stream) unless told to
 * (`createMissing`): the lost stream's sequences are the positions the tables hold (an audit
 * record's id among them), and a new stream would number from 1 again over them. The
 * operator restores the stream from a backup instead (docs/reliability.md).
 */
export async function ensureEventStream(client: NatsClient, options: EventStreamOptions): Promise<void> {
  const config = eventStreamConfig(options);
  await retry(
    async () => {
      const info = await streamInfo(client, config.name);
      if (info) await client.jsm.streams.update(config.name, { ...info.config, ...config });
      else {
        if (!options.createMissing) await refuseIfNamespaceHasRun(client, options.namespace);
        await client.jsm.streams.add(config);
      }
    },
    { policy: BACKOFF.dependency, maxAttempts: 4, retryIf: (error) => !(error instanceof EventStreamMissingError) },
  );
}

/** The stream's info, or undefined where it does not exist (any other failure throws). */
async function streamInfo(client: NatsClient, name: string): Promise<StreamInfo | undefined> {
  try {
    return await client.jsm.streams.info(name);
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw error;
  }
}

async function refuseIfNamespaceHasRun(client: NatsClient, namespace: string): Promise<void> {
  for (const bucket of [personalDataBucketName(namespace), authBucketName(namespace)]) {
    if (!(await streamInfo(client, `KV_${bucket}`))) continue;
    throw new EventStreamMissingError(
      `the event stream ${eventStreamName(namespace)} is missing, but namespace ${namespace} has run before (its bucket ${bucket} exists): ` +
        'restore the stream from its backup (nats stream restore) and start again, or set RUNTRAIL_CREATE_MISSING_STREAM=1 ' +
        'to start a new, empty stream with a new database (docs/reliability.md)',
    );
  }
}
