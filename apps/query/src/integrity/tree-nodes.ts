import { Injectable } from '@nestjs/common';
import { nodeKey, nodesOf, rangeHashes, type Hash, type LeafRange, type NodeId } from '@runtrail/merkle';
import { PrimaryTenantReader } from '@runtrail/persistence';

/*
 * The stored nodes a proof needs, in one statement: complete subtrees of level ≥ 1 from
 * integrity_nodes (looked up by primary key, one per wanted node), leaves from
 * integrity_entries.
 */
const NODES_SQL = `
  SELECT n.level, n.idx, n.hash
    FROM unnest($2::int[], $3::bigint[]) AS wanted(level, idx)
    JOIN integrity_nodes n ON n.tenant_id = $1 AND n.level = wanted.level AND n.idx = wanted.idx
  UNION ALL
  SELECT 0 AS level, e.idx, e.leaf_hash AS hash
    FROM integrity_entries e WHERE e.tenant_id = $1 AND e.idx = ANY($4::bigint[])`;

/**
 * A tenant's stored tree, read as the tenant (row-level security) for proofs. From the
 * primary, also where a read replica serves the other reads: a checkpoint being signed was
 * read there, and nodes are only ever added, so the primary has every node any checkpoint
 * (read from either) needs.
 */
@Injectable()
export class TreeNodes {
  constructor(private readonly db: PrimaryTenantReader) {}

  /** The hash of each range of leaves, folded from the stored nodes that make it up. */
  async rangeHashes(tenantId: string, ranges: readonly LeafRange[]): Promise<Hash[]> {
    const wanted = nodesOf(ranges);
    if (wanted.length === 0) return [];
    const stored = await this.stored(tenantId, wanted);
    return rangeHashes(ranges, (node) => {
      const hash = stored.get(nodeKey(node));
      // Every complete subtree below the log's size is stored when its last leaf arrives: a gap is damage, not input.
      if (!hash) throw new Error(`the integrity log of ${tenantId} lacks its stored node ${nodeKey(node)}`);
      return hash;
    });
  }

  /** The stored hashes of the given nodes, by `nodeKey`; a node not stored is absent. */
  async stored(tenantId: string, nodes: readonly NodeId[]): Promise<Map<string, Hash>> {
    const inner = nodes.filter((n) => n.level > 0);
    const leaves = nodes.filter((n) => n.level === 0).map((n) => n.index);
    const rows = await this.db.query<{ level: number; idx: string; hash: Buffer }>(tenantId, NODES_SQL, [
      tenantId,
      inner.map((n) => n.level),
      inner.map((n) => n.index),
      leaves,
    ]);
    return new Map(rows.map((r) => [nodeKey({ level: Number(r.level), index: Number(r.idx) }), r.hash]));
  }
}
