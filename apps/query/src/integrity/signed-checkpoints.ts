import { Inject, Injectable } from '@nestjs/common';
import { NotFoundError } from '@runtrail/platform';
import { QueryConfig } from '../shared/config/query.config';
import { CheckpointRepository } from './checkpoint.repository';
import type { CheckpointView } from './integrity-views';

/**
 * The checkpoints a read rests on, or a 404 that says why there is none: proofs are given
 * for signed sizes only, since a root nobody signed proves nothing.
 */
@Injectable()
export class SignedCheckpoints {
  constructor(
    private readonly checkpoints: CheckpointRepository,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  /** The latest; an empty log never has one. */
  async latest(tenantId: string): Promise<CheckpointView> {
    const latest = await this.checkpoints.latest(tenantId);
    if (!latest) {
      throw new NotFoundError(`the log of tenant ${tenantId} has no checkpoint yet: one is signed within ${this.config.CHECKPOINT_INTERVAL_SECONDS} seconds of its first entry`);
    }
    return latest;
  }

  /** The checkpoint of each size, in the order asked. */
  async ofSizes(tenantId: string, sizes: number[]): Promise<CheckpointView[]> {
    const found = new Map((await this.checkpoints.ofSizes(tenantId, sizes)).map((c) => [c.size, c]));
    return sizes.map((size) => {
      const checkpoint = found.get(size);
      if (!checkpoint) throw new NotFoundError(`no checkpoint of size ${size}: proofs are given for checkpointed sizes only (GET /v1/integrity/checkpoints lists them)`);
      return checkpoint;
    });
  }
}
