import { JetStreamApiCodes, JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import type { ReadinessCheck } from '@runtrail/platform';

/**
 * Whether a JetStream error says the stream or the durable consumer is gone (deleted, or
 * never made), as opposed to NATS or JetStream being unreachable for a while.
 */
export function isStreamOrConsumerMissing(error: unknown): boolean {
  if (error instanceof JetStreamApiError) return error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound;
  // A pull request in flight ends with the 409 status "consumer deleted" or "stream deleted".
  return error instanceof JetStreamError && /^(consumer|stream) deleted$/.test(error.message);
}

/**
 * The `stream` check of `/readyz` for a service whose work is consuming the stream: not
 * ready from a failed fetch of any of its consumers (the stream or consumer gone, JetStream
 * unavailable) until fetching works again. `JetStreamServer` reports to it.
 */
export class ConsumerReadinessCheck implements ReadinessCheck {
  readonly name = 'stream';
  private readonly failing = new Set<string>();

  fetchFailed(durable: string): void {
    this.failing.add(durable);
  }

  resumed(durable: string): void {
    this.failing.delete(durable);
  }

  isReady(): Promise<boolean> {
    return Promise.resolve(this.failing.size === 0);
  }
}
