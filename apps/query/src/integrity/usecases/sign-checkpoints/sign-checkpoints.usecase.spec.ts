import { randomBytes } from 'node:crypto';
import { EMPTY_FRONTIER, appendLeaves, leafHash, openNote, parseVerifierKey, rootOf } from '@runtrail/merkle';
import type { IntegrityCheckpointRow } from '@runtrail/persistence';
import { ManualClock, Metrics } from '@runtrail/platform';
import { PinoLogger } from 'nestjs-pino';
import type { CheckpointStore, GrownLog } from '../../checkpoint-store';
import { LogSigner } from '../../log-signer';
import { ed25519FromSeed } from '../../signing-key';
import { MemorySignedState } from '../../test/memory-signed-state';
import type { TreeNodes } from '../../tree-nodes';
import { SignCheckpoints } from './sign-checkpoints.usecase';

describe('SignCheckpoints', () => {
  it("signs each grown log's root at its size under its origin, keeping the key in the row", async () => {
    const leaves = [1, 2, 3, 4, 5].map((i) => leafHash(Buffer.from(`entry ${i}`)));
    const grown: GrownLog[] = [
      { tenantId: 'acme', frontier: appendLeaves(EMPTY_FRONTIER, leaves).frontier },
      { tenantId: 'globex', frontier: appendLeaves(EMPTY_FRONTIER, leaves.slice(0, 1)).frontier },
    ];
    let rows: IntegrityCheckpointRow[] = [];
    const store = {
      checkpointGrownLogs: async (sign: (log: GrownLog) => Promise<IntegrityCheckpointRow | null>) => (rows = (await Promise.all(grown.map(sign))) as IntegrityCheckpointRow[]),
    } as unknown as CheckpointStore;
    const signer = new LogSigner(ed25519FromSeed(randomBytes(32)), 'local', 'generated');

    const state = new MemorySignedState();
    const nodes = {} as TreeNodes;
    await new SignCheckpoints(store, signer, new ManualClock(Date.parse('2026-11-30T10:00:00.000Z')), state, nodes, new PinoLogger({ pinoHttp: { level: 'silent' } }), new Metrics('sign-test')).execute();
    expect(state.signed.get('acme')).toEqual({ size: 5, root: rootOf(leaves) });

    expect(rows.map(({ note: _note, ...row }) => row)).toEqual([
      { tenantId: 'acme', size: 5, rootHash: rootOf(leaves), keyId: signer.key('acme').keyId, publicKey: signer.publicKey, issuedAt: '2026-11-30T10:00:00.000Z' },
      { tenantId: 'globex', size: 1, rootHash: leaves[0], keyId: signer.key('globex').keyId, publicKey: signer.publicKey, issuedAt: '2026-11-30T10:00:00.000Z' },
    ]);
    expect(openNote(rows[0]!.note, [parseVerifierKey(signer.key('acme').verifierKey)])).toBe(`runtrail/local/acme\n5\n${rootOf(leaves).toString('base64')}\n`);
  });
});
