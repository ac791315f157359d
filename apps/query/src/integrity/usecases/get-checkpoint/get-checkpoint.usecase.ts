import { Injectable } from '@nestjs/common';
import type { CheckpointView } from '../../integrity-views';
import { SignedCheckpoints } from '../../signed-checkpoints';

/** The tenant's latest checkpoint; a 404 until the first is signed. */
@Injectable()
export class GetCheckpoint {
  constructor(private readonly checkpoints: SignedCheckpoints) {}

  execute({ tenantId }: { tenantId: string }): Promise<CheckpointView> {
    return this.checkpoints.latest(tenantId);
  }
}
