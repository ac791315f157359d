import { STREAM_PARTITIONS, eventStreamName, partitionConsumerName, partitionSubjectFilter, type StreamPartition } from '@runtrail/contracts';
import type { NatsClient } from './nats-client';

/**
 * The stream sequence of the last fact of each partition (0 for one without facts): what a
 * partition's checkpoint must reach for everything accepted until now to be projected.
 */
export async function partitionEnds(client: Pick<NatsClient, 'jsm'>, namespace: string): Promise<Map<StreamPartition, number>> {
  const stream = eventStreamName(namespace);
  const ends = await Promise.all(
    STREAM_PARTITIONS.map(async (p) => {
      const last = await client.jsm.streams.getMessage(stream, { last_by_subj: partitionSubjectFilter(namespace, p) });
      return [p, last?.seq ?? 0] as const;
    }),
  );
  return new Map(ends);
}

/**
 * The partitions whose checkpoint (by consumer name, from `projector_checkpoints`) has not
 * reached its end yet: none means everything the ends cover is projected.
 */
export function partitionsBehind(ends: ReadonlyMap<StreamPartition, number>, checkpoints: ReadonlyMap<string, number>, consumer: string): StreamPartition[] {
  return [...ends].filter(([p, end]) => (checkpoints.get(partitionConsumerName(consumer, p)) ?? 0) < end).map(([p]) => p);
}
