import { AckPolicy, DeliverPolicy, JetStreamApiCodes, JetStreamApiError, type ConsumerConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsClient } from '../nats-client';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it. */
  ackWaitMs: number;
  maxAckPending: number;
  /** Where a new consumer starts reading: this stream sequence; the stream's first message when absent. */
  startSeq?: number;
}

function consumerConfig(spec: DurableConsumerSpec): Partial<ConsumerConfig> {
  return {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ...(spec.startSeq === undefined ? { deliver_policy: DeliverPolicy.All } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: spec.startSeq }),
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    max_deliver: -1,
  };
}

/**
 * Creates a durable pull consumer with explicit acks that reads its subject from the
 * start (or `startSeq`) and redelivers without limit, or brings an existing one's ack
 * settings up to date; its position is kept either way.
 */
export async function ensureDurableConsumer(client: NatsClient, spec: DurableConsumerSpec): Promise<void> {
  const config = consumerConfig(spec);
  const existing = await client.jsm.consumers.info(spec.stream, spec.durable).catch(() => undefined);
  if (!existing) await client.jsm.consumers.add(spec.stream, config);
  else if (existing.config.ack_wait !== config.ack_wait || existing.config.max_ack_pending !== config.max_ack_pending) {
    await client.jsm.consumers.update(spec.stream, spec.durable, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
  }
}

/**
 * Makes the durable consumer anew at `startSeq`, whatever the old one had delivered or
 * still had pending: for a new owner of a partition, which resumes exactly where the
 * committed checkpoint says, with nothing of the previous owner's left to redeliver.
 */
export async function resetDurableConsumer(client: NatsClient, spec: DurableConsumerSpec & { startSeq: number }): Promise<void> {
  await deleteDurableConsumer(client, spec.stream, spec.durable);
  await client.jsm.consumers.add(spec.stream, consumerConfig(spec));
}

/** Deletes a durable consumer; one already gone is fine. */
export async function deleteDurableConsumer(client: NatsClient, stream: string, durable: string): Promise<void> {
  await client.jsm.consumers.delete(stream, durable).catch((err: unknown) => {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound)) throw err;
  });
}
