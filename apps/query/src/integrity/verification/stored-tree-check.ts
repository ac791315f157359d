import { appendLeaves, nodeKey, type Frontier, type Hash, type NodeId } from '@runtrail/merkle';
import type { LogProblem } from '@runtrail/integrity';
import type { TreeNodes } from '../tree-nodes';

/** Nodes compared per round trip. */
const NODES_PER_READ = 2000;

/**
 * The stored subtrees proofs are served from must be the ones the log's leaves make: a
 * subtree edited in `integrity_nodes` would make every inclusion and consistency proof
 * through it lie (docs/integrity.md#verification). Fed the log's leaf hashes in index
 * order, it recomputes each subtree as it completes and compares it with the stored one.
 */
export class StoredTreeCheck {
  private frontier: Frontier;
  private pending: { node: NodeId; hash: Hash }[] = [];
  private problem: LogProblem | null = null;

  constructor(
    private readonly nodes: TreeNodes,
    private readonly tenantId: string,
    prefix: Frontier,
  ) {
    this.frontier = prefix;
  }

  /** The next leaf of the log (index `frontier.size`). */
  async leaf(hash: Hash): Promise<void> {
    const { frontier, completed } = appendLeaves(this.frontier, [hash]);
    this.frontier = frontier;
    this.pending.push(...completed);
    if (this.pending.length >= NODES_PER_READ) await this.flush();
  }

  async finish(): Promise<LogProblem | null> {
    await this.flush();
    return this.problem;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0 || this.problem) return;
    const stored = await this.nodes.stored(this.tenantId, batch.map((b) => b.node));
    for (const { node, hash } of batch) {
      const kept = stored.get(nodeKey(node));
      if (kept?.equals(hash)) continue;
      // Reported at the tree size where the subtree completed: every checkpoint from there on is served proofs through it.
      const size = (node.index + 1) * 2 ** node.level;
      this.problem = {
        index: size,
        entryId: null,
        kind: 'inconsistent-checkpoint',
        detail: `the stored subtree of leaves ${node.index * 2 ** node.level} to ${size - 1} ${kept ? 'is not the hash of those leaves' : 'is missing'}: proofs served through it would not verify`,
      };
      return;
    }
  }
}
