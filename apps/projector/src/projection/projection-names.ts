/** The pattern the projector's durable consumer delivers its batches to. */
export const PROJECTION_BATCHES = 'runtrail.projection.batches';

/** The projector's durable consumer; also the key of its checkpoint row. */
export function projectorConsumerName(namespace: string): string {
  return `${namespace}-projector`;
}
