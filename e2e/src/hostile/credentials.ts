import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { ALL_SCOPES, type Credential, type World } from './world';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n: number): string {
  return [...randomBytes(n)].map((b) => BASE62[b % 62]).join('');
}

/**
 * A secret of the right shape whose checksum is right too (the 6 trailing base62
 * digits of the CRC32 of what precedes them): it passes the cheap shape check and
 * costs the service a real look-up, which must still find nothing.
 */
export function forgedSecret(prefix: 'rt' | 'rtr' | 'rtv'): string {
  const body = `${prefix}_${base62(34)}`;
  let n = crc32(body);
  let sum = '';
  for (let i = 0; i < 6; i++) {
    sum = BASE62[n % 62] + sum;
    n = Math.floor(n / 62);
  }
  return body + sum;
}

/** The same string with one character changed at `at` (a fraction of its length). */
function nearMiss(secret: string, at: number): string {
  const i = Math.min(secret.length - 1, 3 + Math.floor(at * (secret.length - 3)));
  const c = secret[i];
  const swapped = c === 'a' ? 'b' : c === 'A' ? 'B' : c === '0' ? '1' : 'a';
  return secret.slice(0, i) + swapped + secret.slice(i + 1);
}

const invalid = (name: string, header?: string): Credential => ({ name, header, scopes: null });

/** Credentials that every /v1 route must refuse with 401 (or a 4xx the body earns first). */
export function refusedCredential(world: World): fc.Arbitrary<Credential> {
  const a = world.attacker;
  return fc.oneof(
    fc.constant(invalid('no Authorization header')),
    fc.constant(invalid('revoked key', `Bearer ${a.revokedKey}`)),
    fc.constant(null).map(() => invalid('forged key with a valid checksum', `Bearer ${forgedSecret('rt')}`)),
    fc.constant(null).map(() => invalid('forged runner token with a valid checksum', `Bearer ${forgedSecret('rtr')}`)),
    fc.constant(null).map(() => invalid('forged viewer token with a valid checksum', `Bearer ${forgedSecret('rtv')}`)),
    fc.constant(null).map(() => invalid('key-shaped, bad checksum', `Bearer rt_${base62(40)}`)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => invalid("near miss of the victim's key", `Bearer ${nearMiss(world.victim.key, at)}`)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => invalid("near miss of the victim's runner token", `Bearer ${nearMiss(world.victim.runnerToken, at)}`)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => invalid('near miss of the root key', `Bearer ${nearMiss(world.rootKey, at)}`)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => invalid("near miss of the attacker's key", `Bearer ${nearMiss(a.key, at)}`)),
    fc.constantFrom(
      invalid('empty header', ''),
      invalid('scheme only', 'Bearer'),
      invalid('scheme and space', 'Bearer '),
      invalid('Basic', `Basic ${Buffer.from(`${a.tenant}:${a.key}`).toString('base64')}`),
      invalid('Token scheme', `Token ${a.key}`),
      invalid('key without scheme', a.key),
      invalid('two keys', `Bearer ${a.key} ${a.key}`),
      invalid('key twice, no space', `Bearer ${a.key}${a.key}`),
      invalid('key truncated', `Bearer ${a.key.slice(0, -1)}`),
      invalid('key upper-cased', `Bearer ${a.key.toUpperCase()}`),
      invalid('key with a comma', `Bearer ${a.key},`),
      invalid('key, then a second scheme', `Bearer ${a.key}, Basic eA==`),
      invalid('quoted key', `Bearer "${a.key}"`),
      invalid('latin-1 key', 'Bearer rt_\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'),
      invalid('300-character key', `Bearer rt_${'A'.repeat(297)}`),
      invalid('8 KiB key', `Bearer ${'k'.repeat(8192)}`),
      invalid('SQL in the key', "Bearer ' OR '1'='1"),
      invalid('JWT-looking', 'Bearer eyJhbGciOiJub25lIn0.eyJ0ZW5hbnRJZCI6InZpY3RpbSJ9.'),
      invalid('root-prefixed guess', 'Bearer root_00000000000000000000000000000000'),
      invalid('the tenant id as key', `Bearer ${world.victim.tenant}`),
      invalid('the victim key id as key', `Bearer ${world.victim.keyId}`),
      invalid('the victim runner id as key', `Bearer ${world.victim.runnerId}`),
    ),
  );
}

/**
 * Who sends a request: mostly the attacker's full key (so requests reach validation),
 * sometimes a key lacking scopes, the attacker's runner token, or a credential that
 * must be refused. Never the root key and never a key of the victim.
 */
export function credential(world: World, kind: 'ingest' | 'query' | 'runner'): fc.Arbitrary<Credential> {
  const a = world.attacker;
  const full: Credential = { name: "attacker's key", header: `Bearer ${a.key}`, scopes: ALL_SCOPES };
  const lowerScheme: Credential = { name: "attacker's key, lower-case scheme", header: `bearer ${a.key}`, scopes: ALL_SCOPES };
  const readOnly: Credential = { name: "attacker's read-only key", header: `Bearer ${a.readKey}`, scopes: ['audit:read'] };
  const runner: Credential = { name: "attacker's runner token", header: `Bearer ${a.runnerToken}`, scopes: ['events:write'], runner: true };
  return fc.oneof(
    { weight: kind === 'runner' ? 2 : 14, arbitrary: fc.constant(full) },
    { weight: 1, arbitrary: fc.constant(lowerScheme) },
    { weight: 1, arbitrary: fc.constant(readOnly) },
    { weight: kind === 'runner' ? 12 : 1, arbitrary: fc.constant(runner) },
    { weight: 3, arbitrary: refusedCredential(world) },
  );
}
