import { Injectable } from '@nestjs/common';
import { frontierRoot } from '@runtrail/merkle';
import type { IntegrityCheckpointRow } from '@runtrail/persistence';
import { Clock } from '@runtrail/platform';
import { CheckpointStore } from '../../checkpoint-store';
import { LogSigner } from '../../log-signer';

/**
 * Signs a checkpoint of every tenant log that grew since its latest one (CONTRACT §6): the
 * root of its stored frontier, as a C2SP note under the log's origin. Each row keeps the key
 * that signed it, so a checkpoint stays verifiable after the key is rotated.
 */
@Injectable()
export class SignCheckpoints {
  constructor(
    private readonly store: CheckpointStore,
    private readonly signer: LogSigner,
    private readonly clock: Clock,
  ) {}

  /** The checkpoints this call added. */
  execute(): Promise<IntegrityCheckpointRow[]> {
    const issuedAt = this.clock.iso();
    return this.store.checkpointGrownLogs(({ tenantId, frontier }) => {
      const rootHash = frontierRoot(frontier);
      const { note, keyId } = this.signer.sign(tenantId, frontier.size, rootHash);
      return { tenantId, size: frontier.size, rootHash, keyId, publicKey: this.signer.publicKey, note, issuedAt };
    });
  }
}
