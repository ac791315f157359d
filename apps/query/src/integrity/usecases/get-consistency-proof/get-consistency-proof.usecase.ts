import { Injectable } from '@nestjs/common';
import { consistencyRanges } from '@runtrail/merkle';
import type { ConsistencyProofView } from '../../integrity-views';
import { SignedCheckpoints } from '../../signed-checkpoints';
import { TreeNodes } from '../../tree-nodes';

export interface GetConsistencyProofCommand {
  tenantId: string;
  /** 1 ≤ from ≤ to, both checkpointed sizes. */
  from: number;
  to: number;
}

/**
 * The proof that the tenant's tree of size `to` extends the one of size `from` (RFC 9162
 * §2.1.4): nothing a checkpoint covered was changed or removed later. Between signed sizes
 * only, so both roots are ones the operator's key vouches for.
 */
@Injectable()
export class GetConsistencyProof {
  constructor(
    private readonly checkpoints: SignedCheckpoints,
    private readonly tree: TreeNodes,
  ) {}

  async execute({ tenantId, from, to }: GetConsistencyProofCommand): Promise<ConsistencyProofView> {
    await this.checkpoints.ofSizes(tenantId, [from, to]);
    const hashes = await this.tree.rangeHashes(tenantId, consistencyRanges(from, to));
    return { from, to, hashes: hashes.map((h) => h.toString('base64')) };
  }
}
