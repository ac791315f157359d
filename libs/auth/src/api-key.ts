import { createHash, randomBytes, randomUUID } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const KEY_RANDOM_LENGTH = 40;

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

export function generateApiKey(): string {
  return `rt_${randomBase62(KEY_RANDOM_LENGTH)}`;
}

export function newKeyId(): string {
  return randomUUID();
}

/**
 * Keys carry 238 bits of randomness, so a plain SHA-256 is enough to make a leaked
 * table useless, and it keeps look-ups O(1) (a slow password hash would be a
 * denial-of-service lever on every request). See docs/adr/0004.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
