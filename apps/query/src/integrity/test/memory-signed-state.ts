import type { Hash } from '@runtrail/merkle';
import { SignedState } from '../signed-state';

/** SignedState in memory, as IntegritySecrets keeps it in NATS: the largest signed size wins. */
export class MemorySignedState extends SignedState {
  readonly signed = new Map<string, { size: number; root: Hash }>();

  lastSigned(tenantId: string): Promise<{ size: number; root: Hash } | undefined> {
    return Promise.resolve(this.signed.get(tenantId));
  }

  recordSigned(tenantId: string, size: number, root: Hash): Promise<void> {
    if ((this.signed.get(tenantId)?.size ?? -1) < size) this.signed.set(tenantId, { size, root });
    return Promise.resolve();
  }
}
