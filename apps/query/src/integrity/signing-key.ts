import { createPrivateKey, type KeyObject } from 'node:crypto';

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410); the 32-byte seed follows. */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SEED_BYTES = 32;

export const SIGNING_KEY_FORMS = 'the base64 of a 32-byte Ed25519 seed, or an Ed25519 private key in PKCS#8 PEM';

/** The Ed25519 private key of a 32-byte seed, the form `IntegritySecrets.signingSeed()` keeps. */
export function ed25519FromSeed(seed: Buffer): KeyObject {
  if (seed.length !== SEED_BYTES) throw new Error(`an Ed25519 seed is ${SEED_BYTES} bytes`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_SEED_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * `RUNTRAIL_SIGNING_KEY`: the standard base64 of a seed (`openssl rand -base64 32`), or a
 * PKCS#8 PEM (`openssl genpkey -algorithm ed25519`), where `\n` written out stands for a line
 * break, as env files and secret stores often carry one. Throws, without quoting the secret,
 * on anything else (another algorithm, an encrypted PEM, a seed of the wrong length).
 */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: trimmed.replace(/\\n/g, '\n'), format: 'pem' });
    } catch {
      throw new Error('not a readable unencrypted PEM private key');
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 key');
    return key;
  }
  const seed = Buffer.from(trimmed, 'base64');
  if (seed.length !== SEED_BYTES || seed.toString('base64') !== trimmed) throw new Error(`not the base64 of ${SEED_BYTES} bytes`);
  return ed25519FromSeed(seed);
}

/** For the configuration's check: whether `parseSigningKey` takes it. */
export function isSigningKey(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    parseSigningKey(value);
    return true;
  } catch {
    return false;
  }
}
