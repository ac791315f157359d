import { randomUUID } from 'node:crypto';
import { verifyInclusion } from '@runtrail/merkle';
import { ConflictError, NotFoundError } from '@runtrail/platform';
import type { CheckpointView } from '../../integrity-views';
import { logWorld } from '../../test/log-world';
import { GetInclusionProof } from './get-inclusion-proof.usecase';

describe('GetInclusionProof', () => {
  function world() {
    const w = logWorld();
    const useCase = new GetInclusionProof(w.entryRepository, w.signedCheckpoints, w.tree, w.config);
    return { w, prove: (entryId: string, size?: number) => useCase.execute({ tenantId: 'acme', entryId, size }) };
  }

  it("proves each entry in the latest checkpoint and in every earlier one that covers it, with that checkpoint's note", async () => {
    const { w, prove } = world();
    w.append(5);
    const five = w.checkpoint();
    w.append(8);
    const thirteen = w.checkpoint();
    for (const entry of w.entries) {
      const asked: [CheckpointView, number | undefined][] = [[thirteen, undefined], [thirteen, 13], ...(entry.index < 5 ? [[five, 5] as [CheckpointView, number]] : [])];
      for (const [checkpoint, size] of asked) {
        const proof = await prove(entry.entryId.toUpperCase(), size);
        expect(proof).toMatchObject({ index: entry.index, size: checkpoint.size, leafHash: entry.leafHash, checkpoint: checkpoint.note });
        const b = (s: string) => Buffer.from(s, 'base64');
        expect(verifyInclusion(b(proof.leafHash), proof.index, proof.size, proof.hashes.map(b), b(checkpoint.rootHash))).toBe(true);
      }
    }
  });

  it('is not found for an unknown entry, a size nobody signed, or before the first checkpoint', async () => {
    const { w, prove } = world();
    const [entry] = w.append(3);
    const unknown = randomUUID();
    await expect(prove(unknown)).rejects.toThrow(new NotFoundError(`entry ${unknown} not found`));
    await expect(prove(entry!.entryId)).rejects.toThrow(new NotFoundError('the log of tenant acme has no checkpoint yet: one is signed within 30 seconds of its first entry'));
    w.checkpoint();
    await expect(prove(entry!.entryId, 2)).rejects.toThrow(NotFoundError);
    await expect(prove(entry!.entryId, 2)).rejects.toThrow(/^no checkpoint of size 2: /);
  });

  it('says when the checkpoint does not cover the entry yet', async () => {
    const { w, prove } = world();
    w.append(2);
    w.checkpoint();
    const [later] = w.append(1);
    await expect(prove(later!.entryId)).rejects.toThrow(
      new ConflictError(`entry ${later!.entryId} has index 2, after the latest checkpoint (size 2); the next checkpoint covers it, signed within 30 seconds`),
    );
    await expect(prove(later!.entryId, 2)).rejects.toThrow(
      new ConflictError(`entry ${later!.entryId} has index 2, which the checkpoint of size 2 does not cover (it covers indices 0 to 1)`),
    );
  });
});
