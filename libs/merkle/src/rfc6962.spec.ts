import { EMPTY_ROOT, consistencyProof, inclusionProof, leafHash, rootOf, verifyConsistency, verifyInclusion, type Hash } from './rfc6962';

/** The leaves of the certificate-transparency test vectors (RFC 6962 reference code). */
const INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));

/** Their roots at sizes 1 to 8. */
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const leaves = INPUTS.map(leafHash);
const hex = (h: Hash) => h.toString('hex');

describe('RFC 6962 Merkle tree hash', () => {
  it('gives the reference roots for 1 to 8 leaves, and SHA-256 of nothing for none', () => {
    expect(ROOTS.map((_, i) => hex(rootOf(leaves.slice(0, i + 1))))).toEqual(ROOTS);
    expect(hex(rootOf([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT.equals(rootOf([]))).toBe(true);
  });

  it('proves every leaf of every tree up to 70 leaves, and no other leaf, index or root', () => {
    const many = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      const root = rootOf(tree);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(tree, index);
        expect(verifyInclusion(tree[index] as Hash, index, size, proof, root)).toBe(true);
        if (size > 1) {
          expect(verifyInclusion(tree[(index + 1) % size] as Hash, index, size, proof, root)).toBe(false);
          expect(verifyInclusion(tree[index] as Hash, (index + 1) % size, size, proof, root)).toBe(false);
        }
        expect(verifyInclusion(tree[index] as Hash, index, size, proof, leafHash(Buffer.from('other')))).toBe(false);
      }
    }
  });

  it('proves each tree up to 40 leaves consistent with every smaller one, and refuses a changed history', () => {
    const many = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    for (let size2 = 1; size2 <= many.length; size2++) {
      const root2 = rootOf(many.slice(0, size2));
      for (let size1 = 1; size1 <= size2; size1++) {
        const root1 = rootOf(many.slice(0, size1));
        const proof = consistencyProof(many.slice(0, size2), size1);
        expect(verifyConsistency(size1, size2, root1, root2, proof)).toBe(true);
        // The same sizes over a history whose first leaf was changed.
        const forged = [leafHash(Buffer.from('forged')), ...many.slice(1, size1)];
        expect(verifyConsistency(size1, size2, rootOf(forged), root2, proof)).toBe(false);
      }
    }
  });

  it('gives the reference inclusion and consistency proofs of the 8-leaf tree', () => {
    expect(inclusionProof(leaves, 0).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(consistencyProof(leaves, 1).map(hex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
  });

  it('has the reference shape for small trees: no proof for one leaf, the sibling for two', () => {
    expect(inclusionProof(leaves.slice(0, 1), 0)).toEqual([]);
    expect(inclusionProof(leaves.slice(0, 2), 0)).toEqual([leaves[1]]);
    expect(consistencyProof(leaves, 8)).toEqual([]);
    expect(() => inclusionProof(leaves, 8)).toThrow(RangeError);
    expect(() => consistencyProof(leaves, 0)).toThrow(RangeError);
  });
});
