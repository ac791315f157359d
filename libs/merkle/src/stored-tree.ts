import { nodeHash, EMPTY_ROOT, type Hash } from './rfc6962';

/**
 * The same tree as `rfc6962.ts`, kept the way a log stores it: every complete, aligned
 * subtree is a node `{ level, index }` covering leaves `[index·2^level, (index+1)·2^level)`,
 * written once when its last leaf arrives and never changed. Appending needs only the
 * frontier (the compact range of `[0, size)`: at most one node per level), so it costs
 * O(log n); a proof needs O(log n) stored nodes, which `proofNodes` names so that a
 * caller can read them in one query. Go's golang.org/x/mod/sumdb/tlog stores its tree
 * the same way ("stored hashes").
 */

export interface NodeId {
  level: number;
  index: number;
}

/** A half-open range of leaves `[lo, hi)`. */
export type LeafRange = readonly [number, number];

/** The compact range of `[0, size)`: its complete subtrees, largest (leftmost) first. */
export interface Frontier {
  size: number;
  hashes: Hash[];
}

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/** The largest power of two strictly below n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The complete subtrees that make up `[lo, hi)`, left to right (RFC 9162's ranges are aligned, so this is exact). */
export function compactRange(lo: number, hi: number): NodeId[] {
  const out: NodeId[] = [];
  let at = lo;
  while (at < hi) {
    // The largest aligned power of two that starts at `at` and fits before `hi`.
    let level = 0;
    while (at % 2 ** (level + 1) === 0 && at + 2 ** (level + 1) <= hi) level++;
    out.push({ level, index: at / 2 ** level });
    at += 2 ** level;
  }
  return out;
}

/** The nodes of the compact range of `[0, size)`: which stored nodes hold a frontier. */
export function frontierNodes(size: number): NodeId[] {
  return compactRange(0, size);
}

/** MTH of a range from its compact range's hashes: folded from the right, as RFC 6962 splits. */
export function foldRange(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return EMPTY_ROOT;
  let root = hashes[hashes.length - 1] as Hash;
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i] as Hash, root);
  return root;
}

export function frontierRoot(frontier: Frontier): Hash {
  return foldRange(frontier.hashes);
}

const HASH_BYTES = 32;

/** A frontier as a log stores it in one column: its hashes concatenated, largest subtree first. */
export function frontierToBytes(frontier: Frontier): Buffer {
  return Buffer.concat(frontier.hashes);
}

/**
 * The frontier of `[0, size)` from `frontierToBytes`' bytes. Refuses bytes that are not one
 * hash per node of the compact range: a stored frontier of the wrong length is damaged, and
 * appending to it or signing its root would carry the damage into the log.
 */
export function frontierFromBytes(size: number, bytes: Uint8Array): Frontier {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`${size} is not a tree size`);
  const count = frontierNodes(size).length;
  if (bytes.length !== count * HASH_BYTES) {
    throw new RangeError(`the frontier of ${size} leaves is ${count} hashes (${count * HASH_BYTES} bytes), not ${bytes.length} bytes`);
  }
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  return { size, hashes: Array.from({ length: count }, (_, i) => all.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES)) };
}

/**
 * Appends leaves to a frontier. Returns the new frontier and every node of level ≥ 1 the
 * leaves completed (level 0 nodes are the leaves themselves), for the caller to store.
 */
export function appendLeaves(frontier: Frontier, leaves: readonly Hash[]): { frontier: Frontier; completed: { node: NodeId; hash: Hash }[] } {
  const hashes = [...frontier.hashes];
  let size = frontier.size;
  const completed: { node: NodeId; hash: Hash }[] = [];
  for (const leaf of leaves) {
    let hash = leaf;
    let level = 0;
    // Each trailing one bit of `size` is a full subtree on the frontier that the new leaf pairs with.
    while (Math.floor(size / 2 ** level) % 2 === 1) {
      hash = nodeHash(hashes.pop() as Hash, hash);
      level++;
      completed.push({ node: { level, index: Math.floor(size / 2 ** level) }, hash });
    }
    hashes.push(hash);
    size++;
  }
  return { frontier: { size, hashes }, completed };
}

/** The ranges whose hashes form the inclusion proof of leaf `index` in `[0, size)`, in proof order (RFC 9162 §2.1.3.1). */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is not within 0..${size - 1}`);
  }
  const out: LeafRange[] = [];
  const walk = (m: number, lo: number, hi: number): void => {
    if (hi - lo === 1) return;
    const k = split(hi - lo);
    if (m < k) {
      walk(m, lo, lo + k);
      out.push([lo + k, hi]);
    } else {
      walk(m - k, lo + k, hi);
      out.push([lo, lo + k]);
    }
  };
  walk(index, 0, size);
  return out;
}

/** The ranges whose hashes form the consistency proof from `[0, from)` to `[0, to)`, in proof order (RFC 9162 §2.1.4.1). */
export function consistencyRanges(from: number, to: number): LeafRange[] {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || from > to) {
    throw new RangeError(`size ${from} is not within 1..${to}`);
  }
  const out: LeafRange[] = [];
  const walk = (m: number, lo: number, hi: number, complete: boolean): void => {
    if (m === hi - lo) {
      if (!complete) out.push([lo, hi]);
      return;
    }
    const k = split(hi - lo);
    if (m <= k) {
      walk(m, lo, lo + k, complete);
      out.push([lo + k, hi]);
    } else {
      walk(m - k, lo + k, hi, false);
      out.push([lo, lo + k]);
    }
  };
  walk(from, 0, to, true);
  return out;
}

/** Every stored node the given ranges need, without repeats. */
export function nodesOf(ranges: readonly LeafRange[]): NodeId[] {
  const seen = new Map<string, NodeId>();
  for (const [lo, hi] of ranges) for (const n of compactRange(lo, hi)) seen.set(nodeKey(n), n);
  return [...seen.values()];
}

export function nodeKey(n: NodeId): string {
  return `${n.level}/${n.index}`;
}

/** The hash of each range, from stored nodes read by `read` (which throws for a node it lacks). */
export function rangeHashes(ranges: readonly LeafRange[], read: (node: NodeId) => Hash): Hash[] {
  return ranges.map(([lo, hi]) => foldRange(compactRange(lo, hi).map(read)));
}
