import { randomBytes, randomUUID } from 'node:crypto';
import { leafHash, rootOf, type Hash, type LeafRange } from '@runtrail/merkle';
import { loadConfig } from '@runtrail/platform';
import { QueryConfig } from '../../shared/config/query.config';
import type { CheckpointRepository, UsedKey } from '../checkpoint.repository';
import type { CheckpointView, LogEntryView } from '../integrity-views';
import type { LogEntryRepository } from '../log-entry.repository';
import { LogSigner } from '../log-signer';
import { SignedCheckpoints } from '../signed-checkpoints';
import { ed25519FromSeed } from '../signing-key';
import type { TreeNodes } from '../tree-nodes';

/**
 * One tenant's log in memory for the use case specs: entries, checkpoints signed by real
 * keys, and the reads the use cases make, answered from the whole tree.
 */
export function logWorld(tenantId = 'acme') {
  const config = loadConfig(QueryConfig, { CHECKPOINT_INTERVAL_SECONDS: '30' });
  // Every key the installation signed with, as LogSigner.load keeps them in NATS.
  const trusted: Buffer[] = [];
  const signerWith = (installation: string, source: LogSigner['source']): LogSigner => {
    const key = ed25519FromSeed(randomBytes(32));
    trusted.push(new LogSigner(key, installation, source).publicKey);
    return new LogSigner(key, installation, source, [...trusted]);
  };
  let signer = signerWith('local', 'generated');
  const leaves: Hash[] = [];
  const entries: LogEntryView[] = [];
  const checkpoints: (CheckpointView & { publicKey: Buffer })[] = [];

  const checkpointRepository = {
    latest: async () => checkpoints.at(-1),
    ofSizes: async (_tenant: string, sizes: number[]) => checkpoints.filter((c) => sizes.includes(c.size)),
    keysUsed: async (): Promise<UsedKey[]> => {
      const seen = new Map<string, UsedKey>();
      for (const c of [...checkpoints].reverse()) seen.set(`${c.origin} ${c.publicKey.toString('hex')}`, { origin: c.origin, publicKey: c.publicKey });
      return [...seen.values()];
    },
  } as unknown as CheckpointRepository;

  const entryRepository = {
    byEntryId: async (_tenant: string, entryId: string) => entries.find((e) => e.entryId === entryId),
  } as unknown as LogEntryRepository;

  const tree = {
    rangeHashes: async (_tenant: string, ranges: readonly LeafRange[]) => ranges.map(([lo, hi]) => rootOf(leaves.slice(lo, hi))),
  } as unknown as TreeNodes;

  return {
    tenantId,
    config,
    leaves,
    entries,
    checkpointRepository,
    entryRepository,
    tree,
    signedCheckpoints: new SignedCheckpoints(checkpointRepository, config),
    get signer() {
      return signer;
    },
    /** Appends `n` entries. */
    append(n: number): LogEntryView[] {
      const added = Array.from({ length: n }, () => {
        const leaf = leafHash(randomBytes(16));
        leaves.push(leaf);
        const entry = { index: entries.length, entryId: randomUUID(), kind: 'audit-event' as const, ref: randomUUID(), receivedAt: '2026-11-30T10:00:00.000Z', leafHash: leaf.toString('base64') };
        entries.push(entry);
        return entry;
      });
      return added;
    },
    /** Signs the log as it is now; `by`: someone else's signer, writing a row as if it were ours. */
    checkpoint(by: LogSigner = signer): CheckpointView {
      const size = leaves.length;
      const root = rootOf(leaves);
      const checkpoint = { origin: by.origin(tenantId), size, rootHash: root.toString('base64'), issuedAt: '2026-11-30T10:00:01.000Z', note: by.sign(tenantId, size, root).note };
      checkpoints.push({ ...checkpoint, publicKey: by.publicKey });
      return checkpoint;
    },
    /** The operator sets another RUNTRAIL_SIGNING_KEY (and maybe renames the installation). */
    rotate(installation = 'local'): void {
      signer = signerWith(installation, 'RUNTRAIL_SIGNING_KEY');
    },
  };
}
