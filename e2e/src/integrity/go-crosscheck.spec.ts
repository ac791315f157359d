import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import {
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  appendLeaves,
  checkpointText,
  consistencyProof,
  consistencyRanges,
  frontierRoot,
  inclusionProof,
  inclusionRanges,
  leafHash,
  nodeKey,
  openNote,
  parseVerifierKey,
  rangeHashes,
  rawPublicKey,
  rootOf,
  signNote,
  verifierKey,
  verifyConsistency,
  verifyInclusion,
  type Frontier,
  type Hash,
  type NodeId,
} from '@runtrail/merkle';
import { GO_BUILD_TIMEOUT_MS, GoTlog } from './go-tlog';

/**
 * @runtrail/merkle against code we did not write: Go's golang.org/x/mod/sumdb/tlog (the
 * tree, proofs and their checkers) and sumdb/note (signed notes), through
 * tools/tlog-crosscheck. Same hashes in the same order, and each side accepts what the
 * other produced and refuses what was tampered with. Needs no running service.
 */

/** A tree of up to a few hundred leaves, different in every run. */
const tree = fc
  .record({ size: fc.integer({ min: 1, max: 300 }), salt: fc.string({ maxLength: 8 }) })
  .map(({ size, salt }) => Array.from({ length: size }, (_, i) => leafHash(Buffer.from(`${salt}/entry ${i}`))));

/** Origins as CONTRACT §6 writes them: `runtrail/<installation>/<tenantId>`. */
const origin = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/))
  .map(([installation, tenant]) => `runtrail/${installation}/${tenant}`);

const checkpoint = fc.record({
  origin,
  size: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  root: fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b)),
});

interface Proof {
  /** The leaf index (inclusion) or the old size (consistency). */
  n: number;
  size: number;
  hashes: Hash[];
}

/** Nothing, or one change to a proof: a hash dropped, added, swapped or replaced, or the index or a size moved by one. */
const alteration = fc.oneof(
  fc.constant((p: Proof): Proof => p),
  fc.nat().map((i) => (p: Proof): Proof => ({ ...p, hashes: p.hashes.filter((_, j) => j !== i % Math.max(p.hashes.length, 1)) })),
  fc.nat().map((i) => (p: Proof): Proof => {
    const at = i % (p.hashes.length + 1);
    return { ...p, hashes: [...p.hashes.slice(0, at), leafHash(Buffer.from('extra')), ...p.hashes.slice(at)] };
  }),
  fc.nat().map((i) => (p: Proof): Proof => ({ ...p, hashes: p.hashes.map((h, j) => (j === i % Math.max(p.hashes.length, 1) ? leafHash(h) : h)) })),
  fc.constant((p: Proof): Proof => ({ ...p, hashes: [...p.hashes].reverse() })),
  fc.constantFrom(-1, 1).map((d) => (p: Proof): Proof => ({ ...p, n: p.n + d })),
  fc.constantFrom(-1, 1).map((d) => (p: Proof): Proof => ({ ...p, size: p.size + d })),
);

/** Appends the leaves in the given chunks, keeping every node the appends complete, as the log's tables do. */
function store(leaves: Hash[], chunks: number[]) {
  const nodes = new Map<string, Hash>(leaves.map((h, i) => [nodeKey({ level: 0, index: i }), h]));
  const frontiers: Frontier[] = [];
  let frontier = EMPTY_FRONTIER;
  for (const c of chunks) {
    const next = appendLeaves(frontier, leaves.slice(frontier.size, frontier.size + c));
    for (const { node, hash } of next.completed) nodes.set(nodeKey(node), hash);
    frontier = next.frontier;
    frontiers.push(frontier);
  }
  const read = (n: NodeId): Hash => {
    const h = nodes.get(nodeKey(n));
    if (!h) throw new Error(`node ${nodeKey(n)} was never stored`);
    return h;
  };
  return { frontiers, read };
}

/** The note with its 64 signature bytes replaced, the key name and key hash kept. */
function replaceSignature(note: string, signatureOf: string): string {
  const sig = (n: string) => Buffer.from(n.slice(n.lastIndexOf(' ') + 1, -1), 'base64');
  const forged = Buffer.concat([sig(note).subarray(0, 4), sig(signatureOf).subarray(4)]);
  return `${note.slice(0, note.lastIndexOf(' ') + 1)}${forged.toString('base64')}\n`;
}

const ed25519 = (): { privateKey: KeyObject; vkey: (name: string) => string } => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, vkey: (name) => verifierKey(name, rawPublicKey(publicKey)) };
};

describe('@runtrail/merkle agrees with Go (golang.org/x/mod/sumdb)', () => {
  let go: GoTlog;

  beforeAll(async () => {
    go = await GoTlog.start();
  }, GO_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await go?.close();
  });

  describe('tlog', () => {
    it('hashes records as tlog.RecordHash does', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 100 }), { minLength: 1, maxLength: 40 }), async (records) => {
          expect(await go.recordHashes(records)).toEqual(records.map(leafHash));
        }),
      );
    });

    it("has tlog.TreeHash's root for random trees, whole and cut at a random size", async () => {
      await fc.assert(
        fc.asyncProperty(tree, fc.nat(), async (leaves, a) => {
          const roots = await go.roots(leaves);
          const size = 1 + (a % leaves.length);
          expect(rootOf(leaves)).toEqual(roots[leaves.length]);
          expect(rootOf(leaves.slice(0, size))).toEqual(roots[size]);
        }),
      );
    });

    it('differs from tlog only at size 0, where tlog uses zero bytes and RFC 9162 SHA-256 of nothing (no checkpoint has size 0)', async () => {
      const [empty] = await go.roots([leafHash(Buffer.from('one'))]);
      expect(empty).toEqual(Buffer.alloc(32));
      expect(EMPTY_ROOT.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });

    it("gives tlog.ProveRecord's inclusion proofs, and each side's checker accepts the other's", async () => {
      await fc.assert(
        fc.asyncProperty(tree, fc.nat(), fc.nat(), async (leaves, a, b) => {
          const size = 1 + (b % leaves.length);
          const index = a % size;
          const leaf = leaves[index] as Hash;
          const ours = inclusionProof(leaves.slice(0, size), index);
          const theirs = await go.inclusionProof(leaves, index, size);
          expect(ours).toEqual(theirs);

          const root = rootOf(leaves.slice(0, size));
          const goRoot = (await go.roots(leaves))[size] as Hash;
          expect(await go.checkRecord({ index, size, leafHash: leaf, hashes: ours, root })).toEqual({ valid: true });
          expect(verifyInclusion(leaf, index, size, theirs, goRoot)).toBe(true);

          // Neither checker is a rubber stamp: another leaf at the same place is refused by both.
          const other = leafHash(Buffer.from('not in the tree'));
          expect(await go.checkRecord({ index, size, leafHash: other, hashes: ours, root })).toMatchObject({ valid: false });
          expect(verifyInclusion(other, index, size, theirs, goRoot)).toBe(false);
        }),
      );
    });

    it("gives tlog.ProveTree's consistency proofs, and each side's checker accepts the other's", async () => {
      await fc.assert(
        fc.asyncProperty(tree, fc.nat(), fc.nat(), async (leaves, a, b) => {
          const to = 1 + (b % leaves.length);
          const from = 1 + (a % to);
          const ours = consistencyProof(leaves.slice(0, to), from);
          const theirs = await go.consistencyProof(leaves, from, to);
          expect(ours).toEqual(theirs);

          const fromRoot = rootOf(leaves.slice(0, from));
          const toRoot = rootOf(leaves.slice(0, to));
          const goRoots = await go.roots(leaves);
          expect(await go.checkTree({ from, to, hashes: ours, fromRoot, toRoot })).toEqual({ valid: true });
          expect(verifyConsistency(from, to, goRoots[from] as Hash, goRoots[to] as Hash, theirs)).toBe(true);

          // A rewritten history (another old root) is refused by both.
          const forged = leafHash(Buffer.from('rewritten'));
          expect(await go.checkTree({ from, to, hashes: ours, fromRoot: forged, toRoot })).toMatchObject({ valid: false });
          expect(verifyConsistency(from, to, forged, goRoots[to] as Hash, theirs)).toBe(false);
        }),
      );
    });

    it('judges altered inclusion and consistency proofs as tlog.CheckRecord and tlog.CheckTree do', async () => {
      await fc.assert(
        fc.asyncProperty(tree, fc.nat(), fc.nat(), alteration, async (leaves, a, b, alter) => {
          const size = 1 + (b % leaves.length);
          const index = a % size;
          const from = 1 + (a % size);
          const root = rootOf(leaves.slice(0, size));
          const fromRoot = rootOf(leaves.slice(0, from));

          const inc = alter({ n: index, size, hashes: inclusionProof(leaves.slice(0, size), index) });
          const leaf = leaves[index] as Hash;
          const goRecord = await go.checkRecord({ index: inc.n, size: inc.size, leafHash: leaf, hashes: inc.hashes, root });
          expect(goRecord.valid).toBe(verifyInclusion(leaf, inc.n, inc.size, inc.hashes, root));

          const con = alter({ n: from, size, hashes: consistencyProof(leaves.slice(0, size), from) });
          const goTree = await go.checkTree({ from: con.n, to: con.size, hashes: con.hashes, fromRoot, toRoot: root });
          expect(goTree.valid).toBe(verifyConsistency(con.n, con.size, fromRoot, root, con.hashes));
        }),
      );
    });

    it("reads tlog's roots and proofs from a stored tree built by appendLeaves in random batches", async () => {
      const batches = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 });
      await fc.assert(
        fc.asyncProperty(batches, fc.string({ maxLength: 8 }), fc.nat(), fc.nat(), async (chunks, salt, a, b) => {
          const total = chunks.reduce((x, y) => x + y, 0);
          const leaves = Array.from({ length: total }, (_, i) => leafHash(Buffer.from(`${salt}/entry ${i}`)));
          const { frontiers, read } = store(leaves, chunks);
          const goRoots = await go.roots(leaves);
          for (const f of frontiers) expect(frontierRoot(f)).toEqual(goRoots[f.size]);

          const size = 1 + (b % total);
          const index = a % size;
          const from = 1 + (a % size);
          expect(rangeHashes(inclusionRanges(index, size), read)).toEqual(await go.inclusionProof(leaves, index, size));
          expect(rangeHashes(consistencyRanges(from, size), read)).toEqual(await go.consistencyProof(leaves, from, size));
        }),
      );
    });
  });

  describe('note', () => {
    it("opens our signed checkpoints with Go's note.Open and our verifier key, and reads the same key id", async () => {
      await fc.assert(
        fc.asyncProperty(checkpoint, async ({ origin, size, root }) => {
          const key = ed25519();
          const vkey = key.vkey(origin);
          const note = signNote(checkpointText(origin, size, root), origin, key.privateKey);
          const { keyId } = parseVerifierKey(vkey);
          expect(await go.verifier(vkey)).toEqual({ valid: true, name: origin, keyId });
          expect(await go.verifyCheckpoint(vkey, note)).toEqual({
            valid: true,
            origin,
            size,
            rootHash: root.toString('base64'),
            signatures: [{ name: origin, keyId }],
          });
        }),
        { numRuns: 50 },
      );
    });

    it("opens Go's signed notes with our openNote and Go's verifier key, which we write the same way", async () => {
      await fc.assert(
        fc.asyncProperty(checkpoint, async ({ origin, size, root }) => {
          const text = checkpointText(origin, size, root);
          const { note, verifierKey: vkey } = await go.signNote(origin, text);
          const parsed = parseVerifierKey(vkey);
          expect(openNote(note, [parsed])).toBe(text);
          expect(verifierKey(parsed.name, parsed.publicKey)).toBe(vkey);
        }),
        { numRuns: 50 },
      );
    });

    it('refuses, on both sides, a note whose signature was replaced, whose text was changed, or that no known key signed', async () => {
      const origin = 'runtrail/local/acme';
      const text = checkpointText(origin, 42, randomBytes(32));
      const later = checkpointText(origin, 43, randomBytes(32));
      const key = ed25519();
      const ourNote = signNote(text, origin, key.privateKey);
      const go1 = await go.signNote(origin, text);
      const go2 = await go.signNote(origin, later);

      const cases: { note: string; vkey: string; go: RegExp; ours: RegExp }[] = [
        // The signature of the next checkpoint by the same key, under this one's text.
        { note: replaceSignature(ourNote, signNote(later, origin, key.privateKey)), vkey: key.vkey(origin), go: /invalid signature/, ours: /bad signature/ },
        // Another Go key's signature behind this key's hash.
        { note: replaceSignature(go1.note, go2.note), vkey: go1.verifierKey, go: /invalid signature/, ours: /bad signature/ },
        { note: ourNote.replace('\n42\n', '\n41\n'), vkey: key.vkey(origin), go: /invalid signature/, ours: /bad signature/ },
        { note: go1.note.replace('\n42\n', '\n41\n'), vkey: go1.verifierKey, go: /invalid signature/, ours: /bad signature/ },
        // Signed by another key under the same name: nothing verifiable.
        { note: ourNote, vkey: ed25519().vkey(origin), go: /no verifiable signatures/, ours: /no signature by a known key/ },
        { note: go1.note, vkey: go2.verifierKey, go: /no verifiable signatures/, ours: /no signature by a known key/ },
      ];
      for (const c of cases) {
        expect(await go.openNote(c.note, [c.vkey])).toEqual({ valid: false, reason: expect.stringMatching(c.go) as unknown });
        expect(() => openNote(c.note, [parseVerifierKey(c.vkey)])).toThrow(c.ours);
      }
      // The untouched notes open on both sides.
      expect(await go.openNote(ourNote, [key.vkey(origin)])).toMatchObject({ valid: true, text });
      expect(openNote(go1.note, [parseVerifierKey(go1.verifierKey)])).toBe(text);
    });

    it('refuses, on both sides, the malformed notes Go calls malformed, and a known key\'s signature of the wrong length', async () => {
      const origin = 'runtrail/local/acme';
      const key = ed25519();
      const text = checkpointText(origin, 7, randomBytes(32));
      const note = signNote(text, origin, key.privateKey);
      const line = note.slice(note.lastIndexOf('\u2014'));
      const hash = Buffer.from(line.split(' ')[2] as string, 'base64').subarray(0, 4);
      const sig = (bytes: Buffer) => `\u2014 ${origin} ${bytes.toString('base64')}\n`;
      const cases = [
        // A signature of the wrong length by the known key, before a valid one.
        `${text}\n${sig(Buffer.concat([hash, Buffer.alloc(10)]))}${line}`,
        // A control character in the text.
        note.replace('\n7\n', '\n7\t\n'),
        // Signature lines Go finds malformed: a name with '+', fewer than 5 bytes, base64 without its padding.
        `${note}\u2014 a+b ${Buffer.concat([hash, Buffer.alloc(64)]).toString('base64')}\n`,
        `${note}\u2014 x AAAA\n`,
        note.replace(/=+\n$/, '\n'),
      ];
      for (const c of cases) {
        expect(await go.openNote(c, [key.vkey(origin)])).toMatchObject({ valid: false });
        expect(() => openNote(c, [parseVerifierKey(key.vkey(origin))])).toThrow(/malformed|bad signature/);
      }
      expect(() => signNote('tab\there\n', origin, key.privateKey)).toThrow(/control characters/);
    });

    it("refuses a checkpoint whose origin is not the key's name", async () => {
      const key = ed25519();
      const note = signNote(checkpointText('runtrail/local/other', 1, randomBytes(32)), 'runtrail/local/acme', key.privateKey);
      expect(await go.verifyCheckpoint(key.vkey('runtrail/local/acme'), note)).toEqual({ valid: false, reason: expect.stringContaining('origin') as unknown });
    });
  });
});
