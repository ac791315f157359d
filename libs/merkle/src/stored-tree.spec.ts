import fc from 'fast-check';
import { consistencyProof, inclusionProof, leafHash, rootOf, type Hash } from './rfc6962';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  consistencyRanges,
  frontierFromBytes,
  frontierNodes,
  frontierRoot,
  frontierToBytes,
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

  it('keeps a frontier as bytes and reads it back, at every size', () => {
    fc.assert(
      fc.property(chunked, ({ chunks, size }) => {
        const { frontier } = store(leavesOf(size), chunks);
        const bytes = frontierToBytes(frontier);
        expect(bytes.length).toBe(32 * frontierNodes(size).length);
        expect(frontierFromBytes(size, bytes)).toEqual(frontier);
      }),
    );
    expect(frontierFromBytes(0, frontierToBytes(EMPTY_FRONTIER))).toEqual(EMPTY_FRONTIER);
  });

  it('refuses frontier bytes that are not one hash per node of the compact range', () => {
    const { frontier } = store(leavesOf(11), [11]); // 11 = 8 + 2 + 1: three hashes
    const bytes = frontierToBytes(frontier);
    expect(() => frontierFromBytes(11, bytes.subarray(0, 64))).toThrow(/3 hashes \(96 bytes\), not 64 bytes/);
    expect(() => frontierFromBytes(11, Buffer.concat([bytes, Buffer.alloc(1)]))).toThrow(RangeError);
    expect(() => frontierFromBytes(12, bytes)).toThrow(RangeError); // 12 = 8 + 4: two hashes
    expect(() => frontierFromBytes(0, Buffer.alloc(32))).toThrow(RangeError);
    expect(() => frontierFromBytes(-1, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => frontierFromBytes(1.5, Buffer.alloc(32))).toThrow(RangeError);
  });

  it('refuses ranges outside the tree', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
  });
});
