import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { BASE62, SECRET_RANDOM_LENGTH, secretChecksum, type SecretPrefix } from '@runtrail/contracts';

/** Uniform base62 characters: bytes >= 248 are dropped so no character is favoured. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/**
 * A secret as `<prefix>_` + 34 random base62 characters (202 bits) + a 6-character
 * checksum, the shape secret scanners recognise. The checksum lets a service refuse a
 * mistyped or made-up secret before any look-up (it is no protection against a forger,
 * who can compute it too; the randomness is).
 */
export function generateSecret(prefix: SecretPrefix): string {
  const body = `${prefix}_${randomBase62(SECRET_RANDOM_LENGTH)}`;
  return body + secretChecksum(body);
}

export function generateApiKey(): string {
  return generateSecret('rt');
}

export function newKeyId(): string {
  return randomUUID();
}

/**
 * Keys carry 202 bits of randomness, so a plain SHA-256 is enough to make a leaked
 * table useless, and it keeps look-ups O(1) (a slow password hash would be a
 * denial-of-service lever on every request). See docs/adr/0004.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
