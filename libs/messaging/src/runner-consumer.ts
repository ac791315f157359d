import { commandSubject, eventStreamName, runnerConsumerName } from '@runtrail/contracts';
import type { NatsClient } from './nats-client';
import { ensureDurableConsumer } from './pull/durable-consumer';

/** How long a runner may hold a command without a sign of life before it is redelivered. */
export const RUNNER_ACK_WAIT_MS = 60_000;

/**
 * A runner's own durable consumer, made when the runner is registered: it reads only
 * `<ns>.evt.<tenant>.cmd.<runnerId>`, so commands sent while the runner is offline
 * wait for it, and no runner ever receives another's (ADR 0007).
 */
export async function ensureRunnerConsumer(client: NatsClient, namespace: string, tenantId: string, runnerId: string): Promise<string> {
  const durable = runnerConsumerName(namespace, runnerId);
  await ensureDurableConsumer(client, {
    stream: eventStreamName(namespace),
    durable,
    filterSubject: commandSubject(namespace, tenantId, runnerId),
    ackWaitMs: RUNNER_ACK_WAIT_MS,
    maxAckPending: 1000,
  });
  return durable;
}

export async function deleteRunnerConsumer(client: NatsClient, namespace: string, runnerId: string): Promise<void> {
  await client.jsm.consumers.delete(eventStreamName(namespace), runnerConsumerName(namespace, runnerId)).catch(() => false);
}
