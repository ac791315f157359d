import type { Hash } from '@runtrail/merkle';

/**
 * The largest checkpoint signed of each tenant's log, kept where the log's tables are not
 * (NATS): the signer refuses a tree that does not extend it, so a database administrator
 * who rewrites the log and deletes the checkpoints over it gets no signature on the rewrite.
 */
export abstract class SignedState {
  abstract lastSigned(tenantId: string): Promise<{ size: number; root: Hash } | undefined>;
  abstract recordSigned(tenantId: string, size: number, root: Hash): Promise<void>;
}
