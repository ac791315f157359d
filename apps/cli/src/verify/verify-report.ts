import type { NoteVerifier } from '@runtrail/merkle';
import type { ExportHeader, LogProblem, LogVerification } from '@runtrail/integrity';

/** What `runtrail verify` prints: the first problem, or the summary, and the warnings. */

/** The first problem, as CONTRACT §6 has it: `index <i>, entry <id|->, <kind>: <detail>`. */
export function problemLine(problem: LogProblem): string {
  return `index ${problem.index}, entry ${problem.entryId ?? '-'}, ${problem.kind}: ${problem.detail}`;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The index of the first exported entry: in a verified export every entry is a log entry. */
const firstIndex = (ok: LogVerification): number => ok.size - ok.entries;

/** One line for a verified export: its entries, its checkpoints, the latest one's size and root. */
export function summaryLine(ok: LogVerification, savedSize: number | undefined): string {
  const range = ok.entries > 0 ? ` (indices ${firstIndex(ok)} to ${ok.size - 1})` : '';
  const latest = ok.latest === null ? 'no checkpoint' : `latest checkpoint: size ${ok.latest.size}, root ${ok.latest.root.toString('base64')}`;
  const saved = savedSize === undefined ? '' : `; the log extends the saved checkpoint of size ${savedSize}`;
  return `ok: ${count(ok.entries, 'entry', 'entries')}${range}, ${count(ok.checkpoints, 'checkpoint', 'checkpoints')}; ${latest}${saved}`;
}

const sameKey = (a: NoteVerifier, b: NoteVerifier): boolean => a.name === b.name && a.keyId === b.keyId && a.publicKey.equals(b.publicKey);

/**
 * What a reader should know besides the verdict: the header names a key that was not given
 * (checkpoints are checked with the given keys only), no given key is named for the log's
 * origin, or (when it verified) entries past the latest checkpoint, which the file alone
 * does not prove: their bytes and leaf hashes could be changed together.
 */
export function warnings(header: ExportHeader, headerKey: NoteVerifier, keys: readonly NoteVerifier[], result: LogVerification): string[] {
  const out: string[] = [];
  if (!keys.some((k) => sameKey(k, headerKey))) {
    out.push(`the file's header names the key ${header.verifierKey}, which is not one of the keys given; checkpoints are checked with the keys given only`);
  }
  if (!keys.some((k) => k.name === header.origin)) out.push(`no key given is named ${header.origin}, the log's origin: none can have signed its checkpoints`);
  if (result.ok) {
    const from = Math.max(result.latest?.size ?? 0, firstIndex(result));
    if (result.size > from) {
      out.push(`${count(result.size - from, 'entry', 'entries')} from index ${from} on ${result.size - from === 1 ? 'is' : 'are'} after the latest checkpoint: nothing in the file proves ${result.size - from === 1 ? 'it' : 'them'}`);
    }
  }
  return out;
}
