import { Inject, Injectable } from '@nestjs/common';
import { inclusionRanges } from '@runtrail/merkle';
import { ConflictError, NotFoundError } from '@runtrail/platform';
import { QueryConfig } from '../../../shared/config/query.config';
import type { InclusionProofView } from '../../integrity-views';
import { LogEntryRepository } from '../../log-entry.repository';
import { SignedCheckpoints } from '../../signed-checkpoints';
import { TreeNodes } from '../../tree-nodes';

export interface GetInclusionProofCommand {
  tenantId: string;
  /** A UUID, in the case the caller wrote it. */
  entryId: string;
  /** A checkpointed tree size; undefined: the latest checkpoint's. */
  size?: number;
}

/**
 * The proof that an entry is in the tenant's tree of a checkpointed size (RFC 9162
 * §2.1.3), with that checkpoint's note: a customer checks it against a root the operator's
 * key signed, and needs nothing else from the service.
 */
@Injectable()
export class GetInclusionProof {
  constructor(
    private readonly entries: LogEntryRepository,
    private readonly checkpoints: SignedCheckpoints,
    private readonly tree: TreeNodes,
    @Inject(QueryConfig) private readonly config: QueryConfig,
  ) {}

  async execute({ tenantId, entryId, size }: GetInclusionProofCommand): Promise<InclusionProofView> {
    const entry = await this.entries.byEntryId(tenantId, entryId.toLowerCase());
    if (!entry) throw new NotFoundError(`entry ${entryId} not found`);
    const checkpoint = size === undefined ? await this.checkpoints.latest(tenantId) : (await this.checkpoints.ofSizes(tenantId, [size]))[0];
    if (entry.index >= checkpoint.size) {
      throw new ConflictError(
        size === undefined
          ? `entry ${entryId} has index ${entry.index}, after the latest checkpoint (size ${checkpoint.size}); the next checkpoint covers it, signed within ${this.config.CHECKPOINT_INTERVAL_SECONDS} seconds`
          : `entry ${entryId} has index ${entry.index}, which the checkpoint of size ${size} does not cover (it covers indices 0 to ${size - 1})`,
      );
    }
    const hashes = await this.tree.rangeHashes(tenantId, inclusionRanges(entry.index, checkpoint.size));
    return { index: entry.index, size: checkpoint.size, leafHash: entry.leafHash, hashes: hashes.map((h) => h.toString('base64')), checkpoint: checkpoint.note };
  }
}
