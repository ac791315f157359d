import { randomBytes } from 'node:crypto';
import { openNote, parseVerifierKey, rootOf, leafHash } from '@runtrail/merkle';
import { LogSigner, describeKey } from './log-signer';
import { ed25519FromSeed } from './signing-key';

describe('LogSigner', () => {
  const signer = new LogSigner(ed25519FromSeed(randomBytes(32)), 'eu-1', 'generated');
  const root = rootOf([leafHash(Buffer.from('a')), leafHash(Buffer.from('b'))]);

  it("signs a tenant's checkpoint under its origin, and the tenant's verifier key opens it", () => {
    const { note, keyId } = signer.sign('acme', 2, root);
    const key = signer.key('acme');
    expect(keyId).toBe(key.keyId);
    expect(note.startsWith(`runtrail/eu-1/acme\n2\n${root.toString('base64')}\n\n\u2014 runtrail/eu-1/acme `)).toBe(true);
    expect(openNote(note, [parseVerifierKey(key.verifierKey)])).toBe(`runtrail/eu-1/acme\n2\n${root.toString('base64')}\n`);
  });

  it('gives each tenant its own key name, so its own key id, for the one key', () => {
    const acme = signer.key('acme');
    const globex = signer.key('globex');
    expect(acme.publicKey).toBe(globex.publicKey);
    expect(acme.keyId).not.toBe(globex.keyId);
    expect(() => openNote(signer.sign('acme', 2, root).note, [parseVerifierKey(globex.verifierKey)])).toThrow();
  });

  it('describes a key as the API shows it', () => {
    expect(describeKey('runtrail/eu-1/acme', signer.publicKey)).toEqual({
      keyId: expect.stringMatching(/^[0-9a-f]{8}$/),
      algorithm: 'ed25519',
      publicKey: signer.publicKey.toString('base64'),
      verifierKey: expect.stringMatching(/^runtrail\/eu-1\/acme\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/),
    });
  });
});
