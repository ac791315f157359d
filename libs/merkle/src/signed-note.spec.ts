import { generateKeyPairSync } from 'node:crypto';
import { checkpointText, keyHash, openNote, parseVerifierKey, rawPublicKey, signNote, verifierKey } from './signed-note';

/** The example of Go's golang.org/x/mod/sumdb/note documentation. */
const PETER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_NOTE =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes', () => {
  it('reads and checks the reference verifier key and note', () => {
    const peter = parseVerifierKey(PETER);
    expect(peter).toMatchObject({ name: 'PeterNeumann', keyId: 'c74f20a3' });
    expect(keyHash(peter.name, peter.publicKey).toString('hex')).toBe('c74f20a3');
    expect(verifierKey(peter.name, peter.publicKey)).toBe(PETER);
    expect(openNote(PETER_NOTE, [peter])).toBe("If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n");
  });

  it('refuses a changed text, a changed signature and a note no known key signed', () => {
    const peter = parseVerifierKey(PETER);
    expect(() => openNote(PETER_NOTE.replace('cryptography', 'Cryptography'), [peter])).toThrow('bad signature by PeterNeumann');
    expect(() => openNote(PETER_NOTE.replace('x08go', 'x08gp'), [peter])).toThrow();
    const other = generateKeyPairSync('ed25519');
    expect(() => openNote(PETER_NOTE, [parseVerifierKey(verifierKey('PeterNeumann', rawPublicKey(other.publicKey)))])).toThrow('no signature by a known key');
  });

  it('refuses malformed verifier keys', () => {
    expect(() => parseVerifierKey('PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow('hash does not match');
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow('malformed');
    expect(() => parseVerifierKey('Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow('malformed');
  });

  it('reads a verifier key whose base64 holds a plus sign', () => {
    for (let i = 0; i < 20; i++) {
      const raw = rawPublicKey(generateKeyPairSync('ed25519').publicKey);
      expect(parseVerifierKey(verifierKey('runtrail/local/acme', raw)).publicKey.equals(raw)).toBe(true);
    }
  });

  it('signs a checkpoint that opens with its own verifier key, as the tenant origin', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const origin = 'runtrail/local/acme';
    const text = checkpointText(origin, 20852163, Buffer.from('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=', 'base64'));
    expect(text).toBe('runtrail/local/acme\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n');
    const note = signNote(text, origin, privateKey);
    expect(note).toMatch(/^runtrail\/local\/acme\n20852163\nCsUY[^\n]*\n\n\u2014 runtrail\/local\/acme [A-Za-z0-9+/]{91}=\n$/);
    expect(openNote(note, [parseVerifierKey(verifierKey(origin, rawPublicKey(publicKey)))])).toBe(text);
  });
});
