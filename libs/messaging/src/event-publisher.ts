import type { PubAck } from '@nats-io/jetstream';
import { DependencyUnavailableError } from '@runtrail/platform';
import type { NatsClient } from './nats-client';

export interface PublishRequest {
  subject: string;
  data: Uint8Array;
  /** Deduplication key within the stream's duplicate window. */
  msgID: string;
}

/**
 * Publishes to JetStream and resolves only when the server acknowledged storage.
 * Anything short of a PubAck is a DependencyUnavailableError (503), never success.
 */
export class EventPublisher {
  constructor(
    private readonly client: NatsClient,
    private readonly timeoutMs = 5000,
  ) {}

  async publishAll(requests: PublishRequest[]): Promise<PubAck[]> {
    if (!this.client.isConnected) {
      throw new DependencyUnavailableError('event store (NATS) is unreachable; retry later');
    }
    try {
      return await Promise.all(
        requests.map((r) => this.client.js.publish(r.subject, r.data, { msgID: r.msgID, timeout: this.timeoutMs })),
      );
    } catch {
      throw new DependencyUnavailableError('event store (NATS) did not acknowledge the write; retry later');
    }
  }
}
