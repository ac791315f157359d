import { Injectable } from '@nestjs/common';
import { CheckpointRepository } from '../../checkpoint.repository';
import type { PublicKeyView } from '../../integrity-views';
import { LogSigner, describeKey } from '../../log-signer';

/**
 * The key that signs the tenant's checkpoints now, and in `previous` every other key of the
 * installation (or name) its stored checkpoints were signed with: after a rotation of RUNTRAIL_SIGNING_KEY
 * (or a renamed installation) the older checkpoints stay verifiable.
 */
@Injectable()
export class GetPublicKey {
  constructor(
    private readonly signer: LogSigner,
    private readonly checkpoints: CheckpointRepository,
  ) {}

  async execute({ tenantId }: { tenantId: string }): Promise<PublicKeyView> {
    const current = this.signer.key(tenantId);
    const used = await this.checkpoints.keysUsed(tenantId);
    // Only keys the installation signed with: a row naming some other key is not one of ours.
    const previous = used
      .filter((k) => this.signer.trusts(k.publicKey))
      .map((k) => describeKey(k.origin, k.publicKey))
      .filter((k) => k.verifierKey !== current.verifierKey);
    return { ...current, previous };
  }
}
