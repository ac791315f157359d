import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  checkpointText,
  frontierRoot,
  leafHash,
  parseVerifierKey,
  rawPublicKey,
  signNote,
  verifierKey,
  type Frontier,
  type NoteVerifier,
} from '@runtrail/merkle';
import type { ExportEntry, LogEntryLine } from '../../export/export-format';
import { LogVerifier, type LogVerification } from '../log-verifier';

/** Logs built in memory the way the service builds them, for the verifier's specs. */

export const ORIGIN = 'runtrail/local/acme';

export interface SigningKey {
  privateKey: KeyObject;
  verifier: NoteVerifier;
  verifierKey: string;
}

export function signingKey(origin = ORIGIN): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = verifierKey(origin, rawPublicKey(publicKey));
  return { privateKey, verifier: parseVerifierKey(key), verifierKey: key };
}

/** A log of `size` entries with random bytes, as the service would export them untouched. */
export function logEntries(size: number): LogEntryLine[] {
  return Array.from({ length: size }, (_, index) => {
    const bytes = randomBytes(8 + (index % 40));
    return { index, entryId: randomUUID(), kind: 'audit-event', bytes, leafHash: leafHash(bytes) };
  });
}

/** The frontier of the first `size` leaves of `entries`. */
export function frontierOf(entries: readonly LogEntryLine[], size: number): Frontier {
  return appendLeaves(EMPTY_FRONTIER, entries.slice(0, size).map((e) => e.leafHash)).frontier;
}

/** A checkpoint note of the first `size` entries, signed with `key` (under `origin`, by default the log's). */
export function checkpointNote(entries: readonly LogEntryLine[], size: number, key: SigningKey, origin = ORIGIN): string {
  return signNote(checkpointText(origin, size, frontierRoot(frontierOf(entries, size))), origin, key.privateKey);
}

/** What an export holds, in memory. */
export interface TestExport {
  prefix: Frontier;
  entries: ExportEntry[];
  checkpoints: string[];
}

/** The export of entries [start, log's end) with checkpoints at `sizes` (each in (start, end]). */
export function exportOf(entries: readonly LogEntryLine[], start: number, sizes: readonly number[], key: SigningKey): TestExport {
  return { prefix: frontierOf(entries, start), entries: entries.slice(start).map((e) => ({ ...e })), checkpoints: sizes.map((s) => checkpointNote(entries, s, key)) };
}

/** Runs a LogVerifier over an export the way both of its users do: checkpoints first, then entries. */
export function verifyExport(file: TestExport, verifiers: readonly NoteVerifier[], saved: readonly string[] = []): LogVerification {
  const verifier = new LogVerifier({ origin: ORIGIN, verifiers, prefix: file.prefix });
  for (const note of saved) verifier.saved(note);
  for (const note of file.checkpoints) verifier.checkpoint(note);
  for (const entry of file.entries) verifier.entry(entry);
  return verifier.finish();
}
