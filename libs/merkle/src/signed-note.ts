import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and the tlog-checkpoint text
 * they carry (c2sp.org/tlog-checkpoint). A note is its text (ending in a newline), a blank
 * line, and signature lines `— <key name> <base64(4-byte key hash || signature)>`. The key
 * hash is the first four bytes of SHA-256(key name || 0x0A || 0x01 || 32-byte public key);
 * a verifier key is written `<name>+<8 hex digits of the key hash>+<base64(0x01 || key)>`,
 * as Go's golang.org/x/mod/sumdb/note reads it.
 */

const ED25519 = 0x01;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows. */
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIGNATURE_LINE = /^\u2014 (\S+) ([A-Za-z0-9+/]+={0,2})$/;
/** ASCII control characters other than newline, which no note may hold. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x09\x0b-\x1f]/

export interface NoteVerifier {
  name: string;
  /** The 4-byte key hash, as 8 hex digits. */
  keyId: string;
  publicKey: Buffer;
}

/** A key name: non-empty, no whitespace and no `+` (they would make a verifier key ambiguous). */
function assertKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name)) throw new Error(`invalid key name ${JSON.stringify(name)}`);
}

export function keyHash(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name).update(Buffer.from([0x0a, ED25519])).update(publicKey).digest().subarray(0, 4);
}

/** The raw 32-byte public key of an Ed25519 KeyObject (public or private). */
export function rawPublicKey(key: KeyObject): Buffer {
  const der = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'der', type: 'spki' });
  return der.subarray(SPKI_PREFIX.length);
}

export function verifierKey(name: string, publicKey: Buffer): string {
  assertKeyName(name);
  return `${name}+${keyHash(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ED25519]), publicKey]).toString('base64')}`;
}

/** Reads `<name>+<hash>+<key>`; throws when it is malformed or its hash does not match its key. */
export function parseVerifierKey(text: string): NoteVerifier {
  // The key's base64 may itself contain '+': the name and the hash are the first two parts.
  const m = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(text.trim());
  if (!m) throw new Error('malformed verifier key');
  const [, name, hex, encoded] = m as unknown as [string, string, string, string];
  const keyId = hex.toLowerCase();
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== 33 || bytes[0] !== ED25519 || bytes.toString('base64') !== encoded) throw new Error('verifier key is not an Ed25519 key');
  const publicKey = bytes.subarray(1);
  if (keyHash(name, publicKey).toString('hex') !== keyId) throw new Error('verifier key hash does not match its key');
  return { name, keyId, publicKey };
}

/** Signs `text` (which must end in a newline) as `name`. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  assertKeyName(name);
  if (!text.endsWith('\n') || text.includes('\n\n')) throw new Error('note text must end in a newline and contain no blank line');
  if (CONTROL.test(text)) throw new Error('note text must not contain control characters other than newline');
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const hash = keyHash(name, rawPublicKey(privateKey));
  return `${text}\n\u2014 ${name} ${Buffer.concat([hash, signature]).toString('base64')}\n`;
}

/**
 * The text of a note signed by at least one of `verifiers`, checking every signature by a
 * known key (an unknown key's line is skipped, as the specification allows). Throws otherwise.
 * Malformed notes are refused as Go's golang.org/x/mod/sumdb/note refuses them (control
 * characters, a bad key name, base64 that is not canonical, a signature under 5 bytes);
 * stricter than Go, a second signature by a known key must verify too.
 */
export function openNote(note: string, verifiers: readonly NoteVerifier[]): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('malformed note: no signature block');
  if (CONTROL.test(note)) throw new Error('malformed note: control characters');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  let verified = 0;
  for (const line of lines) {
    const m = SIGNATURE_LINE.exec(line);
    if (!m) throw new Error('malformed signature line');
    const [, name, encoded] = m as unknown as [string, string, string];
    const bytes = Buffer.from(encoded, 'base64');
    if (/[+]/.test(name) || bytes.length < 5 || bytes.toString('base64') !== encoded) throw new Error('malformed signature line');
    const keyId = bytes.subarray(0, 4).toString('hex');
    const known = verifiers.find((v) => v.name === name && v.keyId === keyId);
    if (!known) continue;
    if (bytes.length !== 68) throw new Error(`bad signature by ${name}`);
    const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, known.publicKey]), format: 'der', type: 'spki' });
    if (!verify(null, Buffer.from(text, 'utf8'), key, bytes.subarray(4))) throw new Error(`bad signature by ${name}`);
    verified++;
  }
  if (verified === 0) throw new Error('note has no signature by a known key');
  return text;
}

/** The text of a tlog-checkpoint: origin, tree size in decimal, root hash in standard base64. */
export function checkpointText(origin: string, size: number, root: Buffer): string {
  if (origin.length === 0 || origin.includes('\n')) throw new Error('invalid origin');
  if (!Number.isSafeInteger(size) || size < 0) throw new Error('invalid tree size');
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}
