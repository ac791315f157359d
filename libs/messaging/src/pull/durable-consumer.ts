import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { NatsClient } from '../nats-client';

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  filterSubject: string;
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it. */
  ackWaitMs: number;
  maxAckPending: number;
}

/**
 * Creates a durable pull consumer with explicit acks that reads its subject from the
 * start and redelivers without limit, or brings an existing one's ack settings up to
 * date; its position is kept either way.
 */
export async function ensureDurableConsumer(client: NatsClient, spec: DurableConsumerSpec): Promise<void> {
  const config = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: spec.filterSubject,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: spec.maxAckPending,
    max_deliver: -1,
  };
  const existing = await client.jsm.consumers.info(spec.stream, spec.durable).catch(() => undefined);
  if (!existing) await client.jsm.consumers.add(spec.stream, config);
  else if (existing.config.ack_wait !== config.ack_wait || existing.config.max_ack_pending !== config.max_ack_pending) {
    await client.jsm.consumers.update(spec.stream, spec.durable, { ack_wait: config.ack_wait, max_ack_pending: config.max_ack_pending });
  }
}
