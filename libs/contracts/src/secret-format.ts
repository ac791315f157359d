import { crc32 } from 'node:zlib';

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Random characters of a key, runner token or viewer token; with the checksum, 40 after the prefix. */
export const SECRET_RANDOM_LENGTH = 34;
const CHECKSUM_LENGTH = 6;

/** The prefixes of issued secrets: API keys, runner tokens, viewer tokens. */
export const SECRET_PREFIXES = ['rt', 'rtr', 'rtv'] as const;
export type SecretPrefix = (typeof SECRET_PREFIXES)[number];
const SECRET_SHAPE = new RegExp(`^(${SECRET_PREFIXES.join('|')})_[0-9A-Za-z]{40}$`);

/** The shape of a viewer token (`rtv_`): read-only access to one tenant's timeline, for an embed. */
export const VIEWER_TOKEN_PATTERN = /^rtv_[0-9A-Za-z]{40}$/;

/** CRC32 of prefix and random part, in 6 base62 digits (62^6 > 2^32, so nothing is lost). */
export function secretChecksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * True when `secret` has the shape of an API key (`rt_`), runner token (`rtr_`) or viewer
 * token (`rtv_`) and its last 6 characters are the checksum of the rest: a mistyped or
 * made-up secret is refused without a look-up. The checksum is public; the 202 random bits are what a forger lacks.
 */
export function hasValidChecksum(secret: string): boolean {
  if (!SECRET_SHAPE.test(secret)) return false;
  const cut = secret.length - CHECKSUM_LENGTH;
  return secretChecksum(secret.slice(0, cut)) === secret.slice(cut);
}
