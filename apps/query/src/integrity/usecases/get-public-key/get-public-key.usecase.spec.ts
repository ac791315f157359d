import { randomBytes } from 'node:crypto';
import { LogSigner, describeKey } from '../../log-signer';
import { ed25519FromSeed } from '../../signing-key';
import { logWorld } from '../../test/log-world';
import { GetPublicKey } from './get-public-key.usecase';

describe('GetPublicKey', () => {
  it("answers the signing key under the tenant's origin, with nothing previous before a rotation", async () => {
    const w = logWorld();
    w.append(2);
    w.checkpoint();
    await expect(new GetPublicKey(w.signer, w.checkpointRepository).execute({ tenantId: 'acme' })).resolves.toEqual({ ...w.signer.key('acme'), previous: [] });
  });

  it('lists every key (or name) that signed a stored checkpoint and is not the current one, most recently used first', async () => {
    const w = logWorld();
    w.append(1);
    w.checkpoint();
    const first = w.signer;
    w.rotate();
    w.append(1);
    w.checkpoint();
    const second = w.signer;
    w.rotate('eu-1');
    const answer = await new GetPublicKey(w.signer, w.checkpointRepository).execute({ tenantId: 'acme' });
    expect(answer.verifierKey.startsWith('runtrail/eu-1/acme+')).toBe(true);
    expect(answer.previous).toEqual([describeKey('runtrail/local/acme', second.publicKey), describeKey('runtrail/local/acme', first.publicKey)]);
  });

  it('never lists a key the installation did not sign with, whatever a checkpoint row names', async () => {
    const w = logWorld();
    w.append(1);
    w.checkpoint(new LogSigner(ed25519FromSeed(randomBytes(32)), 'local', 'generated'));
    await expect(new GetPublicKey(w.signer, w.checkpointRepository).execute({ tenantId: 'acme' })).resolves.toMatchObject({ previous: [] });
  });
});
