import { projectorConsumerName as defaultConsumerName } from '@runtrail/contracts';

/** The pattern the projector's durable consumer delivers its batches to. */
export const PROJECTION_BATCHES = 'runtrail.projection.batches';

/** The projector's durable consumer; also the key of its checkpoint row. */
export function projectorConsumerName(config: { RUNTRAIL_NAMESPACE: string; PROJECTOR_CONSUMER?: string }): string {
  return config.PROJECTOR_CONSUMER ?? defaultConsumerName(config.RUNTRAIL_NAMESPACE);
}
