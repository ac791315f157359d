import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { rawPublicKey } from '@runtrail/merkle';
import { ed25519FromSeed, isSigningKey, parseSigningKey } from './signing-key';

describe('RUNTRAIL_SIGNING_KEY', () => {
  const seed = randomBytes(32);

  it('takes the base64 of a 32-byte seed, as the key generated and kept in NATS is', () => {
    const key = parseSigningKey(seed.toString('base64'));
    expect(rawPublicKey(key)).toEqual(rawPublicKey(ed25519FromSeed(seed)));
    expect(verify(null, Buffer.from('x'), key, sign(null, Buffer.from('x'), key))).toBe(true);
  });

  it('takes a PKCS#8 PEM, with real line breaks or with \\n written out', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(rawPublicKey(parseSigningKey(pem))).toEqual(rawPublicKey(publicKey));
    expect(rawPublicKey(parseSigningKey(pem.trim().replace(/\n/g, '\\n')))).toEqual(rawPublicKey(publicKey));
  });

  it.each([
    ['a seed of 31 bytes', randomBytes(31).toString('base64')],
    ['a seed of 33 bytes', randomBytes(33).toString('base64')],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url')],
    ['hex', seed.toString('hex')],
    ['an RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['an encrypted PEM', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString()],
    ['a public key', generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString()],
  ])('refuses %s, without quoting it', (_what, value) => {
    expect(isSigningKey(value)).toBe(false);
    let message = '';
    try {
      parseSigningKey(value);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).not.toBe('');
    expect(message).not.toContain(value.slice(0, 12));
  });
});
