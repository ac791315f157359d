import { eventStreamName, tenantSubjectFilter } from '@runtrail/contracts';
import { NatsClient, deleteDurableConsumer, ensureDurableConsumer, resetDurableConsumer, type DurableConsumerSpec } from '@runtrail/messaging';
import { JetStreamApiCodes, JetStreamApiError, type ConsumerInfo } from '@nats-io/jetstream';
import type { StreamDefinition } from './stream-store';

/** How long a batch in hand may go unacknowledged; the pull loop reports it in progress well before. */
export const STREAM_ACK_WAIT_MS = 60_000;
/** The most stream messages one delivery round takes. */
export const STREAM_BATCH_MESSAGES = 200;

/**
 * The durable consumer a stream delivers from: the tenant's facts from its start sequence
 * on, one batch in flight. Its acknowledged floor is how far the stream has delivered.
 */
export function streamConsumerSpec(namespace: string, s: StreamDefinition): DurableConsumerSpec {
  return {
    stream: eventStreamName(namespace),
    durable: `${namespace}-stream-${s.id}`,
    filterSubject: tenantSubjectFilter(namespace, s.tenantId),
    ackWaitMs: STREAM_ACK_WAIT_MS,
    maxAckPending: STREAM_BATCH_MESSAGES,
    startSeq: s.startSeq,
  };
}

/** What the consumer's acknowledged floor says the stream delivered (or passed over): never before its start. */
function deliveredBy(info: ConsumerInfo | undefined, s: StreamDefinition): number {
  return Math.max(info?.ack_floor.stream_seq ?? 0, s.startSeq - 1);
}

/** The consumer's state; undefined when it does not exist. */
function consumerInfo(client: NatsClient, spec: DurableConsumerSpec): Promise<ConsumerInfo | undefined> {
  return client.jsm.consumers.info(spec.stream, spec.durable).catch((err: unknown) => {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw err;
  });
}

/** The last stream sequence a stream delivered (or passed over): its consumer's ack floor, never before its start. */
export async function deliveredUpTo(client: NatsClient, namespace: string, s: StreamDefinition): Promise<number> {
  return deliveredBy(await consumerInfo(client, streamConsumerSpec(namespace, s)), s);
}

/**
 * Makes the consumer ready for a new deliverer: one left with messages in flight by a
 * deliverer that died is made anew at its ack floor, so the next fetch starts right after
 * what was delivered instead of waiting out the ack wait (and nothing overtakes).
 */
export async function prepareStreamConsumer(client: NatsClient, namespace: string, s: StreamDefinition): Promise<void> {
  const spec = streamConsumerSpec(namespace, s);
  const info = await consumerInfo(client, spec);
  if (info && info.num_ack_pending > 0) await resetDurableConsumer(client, { ...spec, startSeq: deliveredBy(info, s) + 1 });
  else await ensureDurableConsumer(client, spec);
}

export function deleteStreamConsumer(client: NatsClient, namespace: string, s: StreamDefinition): Promise<void> {
  const spec = streamConsumerSpec(namespace, s);
  return deleteDurableConsumer(client, spec.stream, spec.durable);
}
