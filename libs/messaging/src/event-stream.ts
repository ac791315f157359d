import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType, type MsgRequest, type StreamConfig, type StreamInfo } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { authBucketName, eventStreamName, eventStreamSubjects, eventSubject, legacyEventSubject, personalDataBucketName, type EventKind } from '@runtrail/contracts';
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
    // Nobody purges the record. Single messages may go: retention (CONTRACT §8) deletes a
    // tenant's facts up to its removed log prefix (deleteTenantFacts). Not by purge: a purge
    // with a subject filter drops every consumer's unacknowledged messages, of any subject, on
    // NATS 2.9 (docs/retention.md#the-stream), where a deleted message is only skipped.
    deny_delete: false,
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
      // A stream made before retention denies deletes, and JetStream never lifts that ("can not
      // cancel deny message deletes"): it stays so, and retention leaves its facts in it (docs/retention.md).
      if (info) await client.jsm.streams.update(config.name, { ...info.config, ...config, deny_delete: info.config.deny_delete });
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

/** A stream made before retention, which denies deletes for good: retention cannot remove facts from it. */
export async function eventStreamDeniesDelete(client: NatsClient, namespace: string): Promise<boolean> {
  return (await client.jsm.streams.info(eventStreamName(namespace))).config.deny_delete === true;
}

/** The kinds of fact whose messages hold a tenant's log entries: retention removes these, never its runners, commands, schedules or erasures. */
export const LOG_ENTRY_KINDS = ['audit', 'run'] as const satisfies readonly EventKind[];

/**
 * Deletes a tenant's log-entry facts (`LOG_ENTRY_KINDS`, in both subject layouts) at stream
 * sequences `[fromSeq, throughSeq]`, overwriting each on disk (`erase`): what retention removed
 * from the tables. Other tenants' facts and the tenant's other kinds stay, and consumers keep
 * what they have in flight. Idempotent; answers how many messages went.
 */
export async function deleteTenantFacts(client: NatsClient, namespace: string, tenantId: string, fromSeq: number, throughSeq: number): Promise<number> {
  const stream = eventStreamName(namespace);
  let deleted = 0;
  for (const kind of LOG_ENTRY_KINDS) {
    for (const subject of [eventSubject(namespace, tenantId, kind), legacyEventSubject(namespace, tenantId, kind)]) {
      for (let seq = fromSeq; seq <= throughSeq; ) {
        const next = await nextMessageOn(client, stream, subject, seq);
        if (next === undefined || next > throughSeq) break;
        if (await client.jsm.streams.deleteMessage(stream, next, true)) deleted++;
        seq = next + 1;
      }
    }
  }
  return deleted;
}

/** The sequence of the first message on `subject` at or after `seq`, or undefined when there is none. */
async function nextMessageOn(client: NatsClient, stream: string, subject: string, seq: number): Promise<number | undefined> {
  try {
    // The server takes `next_by_subj` in a message-get request since 2.9; the client's type lists it for direct gets only.
    const found = await client.jsm.streams.getMessage(stream, { next_by_subj: subject, seq } as unknown as MsgRequest);
    return found?.seq;
  } catch (error) {
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return undefined;
    throw error;
  }
}
