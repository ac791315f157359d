import { appendLeaves, frontierNodes, frontierRoot, leafHash, openNote, type Frontier, type Hash, type NoteVerifier } from '@runtrail/merkle';
import { ExportFormatError, type ExportEntry } from '../export/export-format';
import { parseCheckpointText, unverifiedNoteText, type Checkpoint } from './checkpoint';

export const PROBLEM_KINDS = ['modified', 'missing', 'inserted', 'reordered', 'bad-signature', 'inconsistent-checkpoint'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** A finding. `index`: the entry's index, or a checkpoint's tree size; `entryId` null when it cannot be known. */
export interface LogProblem {
  index: number;
  entryId: string | null;
  kind: ProblemKind;
  /** One line for a person. */
  detail: string;
}

export interface LogVerification {
  ok: boolean;
  /** How many entries (log entries and rows the log does not have) were checked. */
  entries: number;
  /** How many checkpoints of the log were checked (a saved one is not counted). */
  checkpoints: number;
  /** The tree size the entries reach: the prefix's size plus the log entries. */
  size: number;
  /** The largest checkpoint whose signature and root verified; what the entries up to its size are proven by. */
  latest: Checkpoint | null;
  /** The problem at the lowest index; on a tie, an entry's before a checkpoint's. */
  firstProblem: LogProblem | null;
}

export interface LogVerifierOptions {
  /** The log's origin (the export's header): every checkpoint must be of this log. */
  origin: string;
  /** The keys trusted to sign checkpoints: any one of them may (older keys after a rotation). */
  verifiers: readonly NoteVerifier[];
  /** The compact range of the leaves before the first entry (`EMPTY_FRONTIER` from index 0). */
  prefix: Frontier;
}

interface PendingCheckpoint {
  checkpoint: Checkpoint;
  /** A checkpoint saved by the customer earlier, rather than one of the export. */
  saved: boolean;
}

/** The first entry problem, and when it is a mismatch the two hashes that may show it was moved rather than changed. */
interface EntryFinding {
  problem: LogProblem;
  mismatch?: { rebuilt: Hash; logged: Hash };
}

const b64 = (h: Hash): string => h.toString('base64');

/**
 * Checks an exported stretch of a tenant log incrementally, so a log of any length streams
 * through (the query service's `GET /v1/integrity/verify` and `runtrail verify` share it;
 * no IO here). Give it every checkpoint first (`checkpoint`, `saved`: it keeps only their
 * sizes and roots), then the entries in file order (`entry`), then `finish`.
 *
 * Entries: each one's rebuilt bytes must hash to the leaf hash the log stored. The log's
 * leaf hashes (not the rebuilt bytes) are appended to the tree, and each checkpoint's root
 * is compared when the tree reaches its size, so the signed roots authenticate the leaf
 * hashes and the leaf hashes the bytes. Memory stays O(checkpoints + log size's bits):
 * only the first entry problem is kept, which is all the answer names.
 */
export class LogVerifier {
  private readonly origin: string;
  private readonly verifiers: readonly NoteVerifier[];
  private readonly prefixSize: number;
  private frontier: Frontier;
  /** The index the next log entry must have. */
  private next: number;
  /** Where the indices first skipped: the tree stops there, as the leaves after it are not all known. */
  private brokenAt: number | null = null;
  private readonly pending = new Map<number, PendingCheckpoint[]>();
  /** A row the log does not have, waiting for the index of the log entry after it. */
  private insertedRow: string | null = null;
  private entryFinding: EntryFinding | null = null;
  private checkpointProblem: LogProblem | null = null;
  private entries = 0;
  private checkpoints = 0;
  private latest: Checkpoint | null = null;
  private finished = false;

  constructor(options: LogVerifierOptions) {
    const { prefix } = options;
    if (!Number.isSafeInteger(prefix.size) || prefix.size < 0) throw new ExportFormatError(`invalid prefix size ${prefix.size}`);
    const expected = frontierNodes(prefix.size).length;
    if (prefix.hashes.length !== expected) throw new ExportFormatError(`a prefix of size ${prefix.size} has ${expected} hashes, not ${prefix.hashes.length}`);
    this.origin = options.origin;
    this.verifiers = options.verifiers;
    this.prefixSize = prefix.size;
    this.frontier = { size: prefix.size, hashes: [...prefix.hashes] };
    this.next = prefix.size;
  }

  /** A checkpoint of the export. One outside the exported entries is a malformed export (ExportFormatError). */
  checkpoint(note: string): void {
    const checkpoint = this.read(note, 'a checkpoint');
    if (checkpoint.size <= this.prefixSize) {
      throw new ExportFormatError(`a checkpoint of size ${checkpoint.size} covers no exported entry (they start at index ${this.prefixSize})`);
    }
    this.assertInTime(checkpoint);
    this.checkpoints++;
    if (this.trusted(note, checkpoint, 'a checkpoint')) this.await({ checkpoint, saved: false });
  }

  /** A checkpoint saved earlier, outside the export: the log must extend it. */
  saved(note: string): void {
    const checkpoint = this.read(note, 'the saved checkpoint');
    if (!this.trusted(note, checkpoint, 'the saved checkpoint')) return;
    if (checkpoint.size < this.prefixSize) {
      this.checkpointFinding({
        index: checkpoint.size,
        kind: 'inconsistent-checkpoint',
        detail: `the export starts at index ${this.prefixSize}, after the saved checkpoint's size ${checkpoint.size}: it cannot show that the log extends it`,
      });
    } else {
      this.assertInTime(checkpoint);
      this.await({ checkpoint, saved: true });
    }
  }

  /** The next entry line, in file order. */
  entry(entry: ExportEntry): void {
    this.assertOpen();
    this.entries++;
    const rebuilt = entry.bytes === null ? null : leafHash(entry.bytes);
    this.checkMoved(entry.index, entry.leafHash, rebuilt);
    if (entry.index === null) {
      // Its index is that of the log entry after it, known when that one comes (or at the end).
      this.insertedRow ??= entry.entryId;
      return;
    }
    const { index } = entry;
    this.placeInsertedRow(Math.max(index, this.next));
    if (index < this.next) {
      this.entryProblem({ index: this.next, entryId: entry.entryId, kind: 'inserted', detail: `a second line for index ${index}, where index ${this.next} was due` });
      return;
    }
    if (index > this.next) {
      this.entryProblem({ index: this.next, entryId: null, kind: 'missing', detail: `the entries skip from index ${this.next} to ${index}` });
      this.brokenAt ??= this.next;
    }
    this.next = index + 1;
    if (this.brokenAt === null) this.append(entry.leafHash);
    if (rebuilt === null) {
      this.entryProblem({ index, entryId: entry.entryId, kind: 'missing', detail: 'the log has this entry, its record is gone' });
    } else if (!rebuilt.equals(entry.leafHash)) {
      this.entryProblem(
        { index, entryId: entry.entryId, kind: 'modified', detail: `the record hashes to ${b64(rebuilt)}, the log has ${b64(entry.leafHash)}` },
        { rebuilt, logged: entry.leafHash },
      );
    }
  }

  /** The answer, once every line was given. */
  finish(): LogVerification {
    this.assertOpen();
    this.finished = true;
    this.placeInsertedRow(this.next);
    // Sizes the entries never reached: after a skip the first problem is the skip already.
    if (this.brokenAt === null) {
      for (const { checkpoint, saved } of [...this.pending.values()].flat()) {
        if (saved) {
          this.checkpointFinding({
            index: checkpoint.size,
            kind: 'inconsistent-checkpoint',
            detail: `the log ends at size ${this.frontier.size}, before the saved checkpoint's size ${checkpoint.size}: it does not extend it`,
          });
        } else {
          // A signed checkpoint says the log had these entries: the export left them out.
          this.entryProblem({ index: this.frontier.size, entryId: null, kind: 'missing', detail: `the entries end at index ${this.frontier.size - 1}, a checkpoint covers ${checkpoint.size}` });
        }
      }
    }
    const entry = this.entryFinding?.problem ?? null;
    const checkpoint = this.checkpointProblem;
    const firstProblem = entry !== null && (checkpoint === null || entry.index <= checkpoint.index) ? entry : checkpoint;
    return { ok: firstProblem === null, entries: this.entries, checkpoints: this.checkpoints, size: this.next, latest: this.latest, firstProblem };
  }

  private read(note: string, what: string): Checkpoint {
    this.assertOpen();
    try {
      return parseCheckpointText(unverifiedNoteText(note));
    } catch (error) {
      throw new ExportFormatError(`${what}: ${(error as Error).message}`);
    }
  }

  /** Whether a known key signed the note and it is of this log; records the problem if not. */
  private trusted(note: string, checkpoint: Checkpoint, what: string): boolean {
    try {
      openNote(note, this.verifiers);
    } catch (error) {
      this.checkpointFinding({ index: checkpoint.size, kind: 'bad-signature', detail: `${what} of size ${checkpoint.size}: ${(error as Error).message}` });
      return false;
    }
    if (checkpoint.origin === this.origin) return true;
    this.checkpointFinding({ index: checkpoint.size, kind: 'inconsistent-checkpoint', detail: `${what} of size ${checkpoint.size} is of ${checkpoint.origin}, not of ${this.origin}` });
    return false;
  }

  /** The tree's root is known at its current size only: a checkpoint below it came too late. */
  private assertInTime({ size }: Checkpoint): void {
    if (size < this.frontier.size) throw new Error(`a checkpoint of size ${size} was given after the entries beyond it: give the checkpoints first`);
  }

  /** Compares a trusted checkpoint now if the tree is at its size, else when it gets there. */
  private await(p: PendingCheckpoint): void {
    const { size } = p.checkpoint;
    if (size === this.frontier.size) this.compare(p);
    else this.pending.set(size, [...(this.pending.get(size) ?? []), p]);
  }

  private append(leaf: Hash): void {
    this.frontier = appendLeaves(this.frontier, [leaf]).frontier;
    const due = this.pending.get(this.frontier.size);
    if (due === undefined) return;
    this.pending.delete(this.frontier.size);
    for (const p of due) this.compare(p);
  }

  private compare({ checkpoint, saved }: PendingCheckpoint): void {
    const root = frontierRoot(this.frontier);
    if (!root.equals(checkpoint.root)) {
      const whose = saved ? 'the saved checkpoint' : 'the checkpoint';
      this.checkpointFinding({
        index: checkpoint.size,
        kind: 'inconsistent-checkpoint',
        detail: `${whose} of size ${checkpoint.size} has root ${b64(checkpoint.root)}, the log's leaf hashes give ${b64(root)}`,
      });
    } else if (!saved && (this.latest === null || checkpoint.size > this.latest.size)) {
      this.latest = checkpoint;
    }
  }

  /**
   * Whether an entry shows that the first mismatch was a move: that record's bytes are this
   * entry's leaf, or this record's bytes are that entry's leaf. Only the first mismatch is
   * named, so only its two hashes are kept (an entry before it matched its own leaf, so a
   * copy of an earlier entry stays `modified`).
   */
  private checkMoved(index: number | null, logged: Hash | null, rebuilt: Hash | null): void {
    const finding = this.entryFinding;
    if (finding?.mismatch === undefined || finding.problem.kind === 'reordered') return;
    const { mismatch, problem } = finding;
    const where = index === null ? 'a record the log does not have' : `index ${index}`;
    if (logged?.equals(mismatch.rebuilt)) {
      finding.problem = { ...problem, kind: 'reordered', detail: `the record is the log's entry at ${where}: entries were reordered` };
    } else if (rebuilt?.equals(mismatch.logged)) {
      finding.problem = { ...problem, kind: 'reordered', detail: `the log's entry for this index stands at ${where}: entries were reordered` };
    }
  }

  private placeInsertedRow(index: number): void {
    if (this.insertedRow === null) return;
    this.entryProblem({ index, entryId: this.insertedRow, kind: 'inserted', detail: `a record the log does not have, before index ${index}` });
    this.insertedRow = null;
  }

  /** Keeps the entry problem at the lowest index (the first one found on a tie). */
  private entryProblem(problem: LogProblem, mismatch?: EntryFinding['mismatch']): void {
    if (this.entryFinding === null || problem.index < this.entryFinding.problem.index) this.entryFinding = { problem, mismatch };
  }

  private checkpointFinding(problem: Omit<LogProblem, 'entryId'>): void {
    if (this.checkpointProblem === null || problem.index < this.checkpointProblem.index) this.checkpointProblem = { ...problem, entryId: null };
  }

  private assertOpen(): void {
    if (this.finished) throw new Error('the verifier has finished');
  }
}
