import fc from 'fast-check';
import { consistencyProof, inclusionProof, leafHash, rootOf, type Hash } from './rfc6962';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  consistencyRanges,
  frontierNodes,
  frontierRoot,
  inclusionRanges,
  nodeKey,
  nodesOf,
  rangeHashes,
  type NodeId,
} from './stored-tree';

const leavesOf = (n: number): Hash[] => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

/** Appends leaves in the given chunks, keeping every node the appends complete, as a log's tables would. */
function store(leaves: Hash[], chunks: number[]) {
  const nodes = new Map<string, Hash>();
  leaves.forEach((h, i) => nodes.set(nodeKey({ level: 0, index: i }), h));
  let frontier = EMPTY_FRONTIER;
  let at = 0;
  for (const c of chunks) {
    const next = appendLeaves(frontier, leaves.slice(at, at + c));
    for (const { node, hash } of next.completed) {
      expect(nodes.has(nodeKey(node))).toBe(false);
      nodes.set(nodeKey(node), hash);
    }
    frontier = next.frontier;
    at += c;
  }
  const read = (n: NodeId): Hash => {
    const h = nodes.get(nodeKey(n));
    if (!h) throw new Error(`node ${nodeKey(n)} was never stored`);
    return h;
  };
  return { frontier, read, nodes };
}

const chunked = fc
  .array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 25 })
  .map((chunks) => ({ chunks, size: chunks.reduce((a, b) => a + b, 0) }));

describe('a tree kept as a frontier and stored nodes', () => {
  it('has the RFC 6962 root at every size, however the leaves were batched', () => {
    fc.assert(
      fc.property(chunked, ({ chunks, size }) => {
        const leaves = leavesOf(size);
        const { frontier, read } = store(leaves, chunks);
        expect(frontier.size).toBe(size);
        expect(frontierRoot(frontier).equals(rootOf(leaves))).toBe(true);
        // The frontier is exactly the stored nodes of the compact range of [0, size).
        expect(frontierNodes(size).map(read)).toEqual(frontier.hashes);
      }),
    );
  });

  it('stores one node per completed subtree: n − 1 interior nodes for a power of two', () => {
    const { nodes } = store(leavesOf(64), [64]);
    expect(nodes.size).toBe(64 + 63);
  });

  it('gives the same inclusion and consistency proofs as the whole-tree functions', () => {
    fc.assert(
      fc.property(chunked, fc.nat(), fc.nat(), ({ chunks, size }, a, b) => {
        const leaves = leavesOf(size);
        const { read } = store(leaves, chunks);
        const index = a % size;
        const inclusion = inclusionRanges(index, size);
        // Only stored nodes are needed, and nodesOf names all of them.
        const needed = new Set(nodesOf(inclusion).map(nodeKey));
        const counted = (n: NodeId) => {
          expect(needed.has(nodeKey(n))).toBe(true);
          return read(n);
        };
        expect(rangeHashes(inclusion, counted)).toEqual(inclusionProof(leaves, index));
        const from = 1 + (b % size);
        expect(rangeHashes(consistencyRanges(from, size), read)).toEqual(consistencyProof(leaves, from));
      }),
    );
  });

  it('refuses ranges outside the tree', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
  });
});
