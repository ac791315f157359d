import { verifyConsistency } from '@runtrail/merkle';
import { NotFoundError } from '@runtrail/platform';
import { logWorld } from '../../test/log-world';
import { GetConsistencyProof } from './get-consistency-proof.usecase';

describe('GetConsistencyProof', () => {
  it('proves that every later checkpoint extends every earlier one', async () => {
    const w = logWorld();
    const signed = [1, 2, 5, 3].map((n) => {
      w.append(n);
      return w.checkpoint();
    });
    const useCase = new GetConsistencyProof(w.signedCheckpoints, w.tree);
    const b = (s: string) => Buffer.from(s, 'base64');
    for (const from of signed) {
      for (const to of signed.filter((c) => c.size >= from.size)) {
        const proof = await useCase.execute({ tenantId: 'acme', from: from.size, to: to.size });
        expect(proof).toMatchObject({ from: from.size, to: to.size });
        expect(verifyConsistency(from.size, to.size, b(from.rootHash), b(to.rootHash), proof.hashes.map(b))).toBe(true);
        if (from.size === to.size) expect(proof.hashes).toEqual([]);
      }
    }
  });

  it('is not found unless both sizes were signed', async () => {
    const w = logWorld();
    w.append(4);
    w.checkpoint();
    const useCase = new GetConsistencyProof(w.signedCheckpoints, w.tree);
    await expect(useCase.execute({ tenantId: 'acme', from: 2, to: 4 })).rejects.toThrow(NotFoundError);
    await expect(useCase.execute({ tenantId: 'acme', from: 4, to: 6 })).rejects.toThrow(/^no checkpoint of size 6: /);
  });
});
