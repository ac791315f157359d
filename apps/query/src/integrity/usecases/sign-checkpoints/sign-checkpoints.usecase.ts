import { Injectable } from '@nestjs/common';
import { consistencyRanges, frontierRoot, verifyConsistency, type Hash } from '@runtrail/merkle';
import type { IntegrityCheckpointRow } from '@runtrail/persistence';
import { Clock, Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import { CheckpointStore, type GrownLog } from '../../checkpoint-store';
import { LogSigner } from '../../log-signer';
import { SignedState } from '../../signed-state';
import { TreeNodes } from '../../tree-nodes';

/**
 * Signs a checkpoint of every tenant log that grew since its latest one (CONTRACT §6): the
 * root of its stored frontier, as a C2SP note under the log's origin. Each row keeps the key
 * that signed it, so a checkpoint stays verifiable after the key is rotated. A tree that
 * does not extend the last checkpoint signed of its log (kept in NATS, out of the database's
 * reach) is refused: signing it would vouch for a rewritten history.
 */
@Injectable()
export class SignCheckpoints {
  private readonly refused;

  constructor(
    private readonly store: CheckpointStore,
    private readonly signer: LogSigner,
    private readonly clock: Clock,
    private readonly state: SignedState,
    private readonly nodes: TreeNodes,
    private readonly logger: PinoLogger,
    metrics: Metrics,
  ) {
    this.refused = metrics.counter('runtrail_checkpoints_refused_total', 'Tenant logs not signed because they do not extend their last signed checkpoint');
  }

  /** The checkpoints this call added. */
  async execute(): Promise<IntegrityCheckpointRow[]> {
    const issuedAt = this.clock.iso();
    const added = await this.store.checkpointGrownLogs(async ({ tenantId, frontier }: GrownLog) => {
      const rootHash = frontierRoot(frontier);
      const problem = await this.extendsLastSigned(tenantId, frontier.size, rootHash);
      if (problem) {
        this.refused.inc();
        this.logger.error({ tenantId, size: frontier.size }, `integrity log not signed: ${problem}`);
        return null;
      }
      const { note, keyId } = this.signer.sign(tenantId, frontier.size, rootHash);
      return { tenantId, size: frontier.size, rootHash, keyId, publicKey: this.signer.publicKey, note, issuedAt };
    });
    for (const c of added) await this.state.recordSigned(c.tenantId, c.size, c.rootHash);
    return added;
  }

  /** Why the tree of `size` leaves with `root` is not an extension of the last signed one; null when it is. */
  private async extendsLastSigned(tenantId: string, size: number, root: Hash): Promise<string | null> {
    const last = await this.state.lastSigned(tenantId);
    if (!last) return null;
    if (size < last.size) return `the log has ${size} entries, fewer than the ${last.size} of its last signed checkpoint`;
    if (size === last.size) return root.equals(last.root) ? null : `its root differs from the last signed checkpoint of the same size ${size}`;
    const proof = await this.nodes.rangeHashes(tenantId, consistencyRanges(last.size, size)).catch(() => null);
    if (proof && verifyConsistency(last.size, size, last.root, root, proof)) return null;
    return `it does not extend the last signed checkpoint (size ${last.size}): the entries that checkpoint covers were changed`;
  }
}
