import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { commandSubject, eventStreamName, runnerConsumerName } from '@runtrail/contracts';
import type { NatsClient } from './nats-client';

/**
 * A runner's own durable consumer, made when the runner is registered: it reads only
 * `<ns>.evt.<tenant>.cmd.<runnerId>`, so commands sent while the runner is offline
 * wait for it, and no runner ever receives another's (ADR 0007).
 */
export async function ensureRunnerConsumer(client: NatsClient, namespace: string, tenantId: string, runnerId: string): Promise<string> {
  const name = runnerConsumerName(namespace, runnerId);
  await client.jsm.consumers.add(eventStreamName(namespace), {
    durable_name: name,
    filter_subject: commandSubject(namespace, tenantId, runnerId),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(60_000),
    max_deliver: -1,
  });
  return name;
}

export async function deleteRunnerConsumer(client: NatsClient, namespace: string, runnerId: string): Promise<void> {
  await client.jsm.consumers.delete(eventStreamName(namespace), runnerConsumerName(namespace, runnerId)).catch(() => false);
}
