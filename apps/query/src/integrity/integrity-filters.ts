import { parseDateBound } from '@runtrail/contracts';
import { InvalidInputError } from '@runtrail/platform';
import { indexMessage, sizeMessage, type CheckpointsQueryDto, type ConsistencyQueryDto, type EntriesQueryDto, type ProofQueryDto, type LogRangeQueryDto } from './integrity-query.dto';

/** Which checkpoints to list: sizes and issue times, all bounds inclusive of what they name. */
export interface CheckpointFilter {
  minSize?: number;
  maxSize?: number;
  issuedFrom?: Date;
  /** Exclusive: a date-only `end` covers its whole day. */
  issuedBefore?: Date;
}

/** Which entries to list: indices in [start, end), of one ref. */
export interface EntryFilter {
  start?: number;
  end?: number;
  ref?: string;
}

const DATE_FORMS = 'yyyy-MM-dd, yyyy-MM-ddThh:mm:ss or ISO-8601 with zone';

/** Digits as a number that JavaScript holds exactly, when it is at least `min`. */
function treeNumber(value: string, min: number): number | undefined {
  const n = Number(value);
  return /^\d+$/.test(value) && Number.isSafeInteger(n) && n >= min ? n : undefined;
}

/** Reads one number parameter; what is wrong goes to `problems`. */
function numberParam(value: string | undefined, min: number, message: string, problems: string[]): number | undefined {
  if (value === undefined) return undefined;
  const n = treeNumber(value, min);
  if (n === undefined) problems.push(message);
  return n;
}

function check<T>(problems: string[], value: T): T {
  if (problems.length) throw new InvalidInputError(problems);
  return value;
}

/** `start`/`end` of the checkpoints: an integer bounds the tree size, a date the issue time; each bound is read on its own. */
export function toCheckpointFilter(q: CheckpointsQueryDto): CheckpointFilter {
  const problems: string[] = [];
  const f: CheckpointFilter = {};
  for (const bound of ['start', 'end'] as const) {
    const value = q[bound];
    if (value === undefined) continue;
    const message = `${bound} must be a tree size (an integer from 0 to ${Number.MAX_SAFE_INTEGER}) or a date: ${DATE_FORMS}`;
    if (/^\d+$/.test(value)) {
      const size = numberParam(value, 0, message, problems);
      if (bound === 'start') f.minSize = size;
      else f.maxSize = size;
    } else {
      const time = parseDateBound(value, bound);
      if (!time) problems.push(message);
      else if (bound === 'start') f.issuedFrom = time;
      else f.issuedBefore = time;
    }
  }
  const sizesCross = f.minSize !== undefined && f.maxSize !== undefined && f.minSize > f.maxSize;
  const timesCross = f.issuedFrom !== undefined && f.issuedBefore !== undefined && f.issuedFrom >= f.issuedBefore;
  if (sizesCross || timesCross) problems.push('start must not be after end');
  return check(problems, f);
}

/** `start`/`end` (indices, end exclusive) and `ref` of the entries. */
export function toEntryFilter(q: EntriesQueryDto): EntryFilter {
  const problems: string[] = [];
  const start = numberParam(q.start, 0, indexMessage('start'), problems);
  const end = numberParam(q.end, 0, indexMessage('end'), problems);
  if (start !== undefined && end !== undefined && start >= end) problems.push('start must be less than end (end is exclusive)');
  return check(problems, { start, end, ref: q.ref?.toLowerCase() });
}

/** The tree size a proof is asked for; undefined: the latest checkpoint's. */
export function proofSize(q: ProofQueryDto): number | undefined {
  const problems: string[] = [];
  return check(problems, numberParam(q.size, 1, sizeMessage('size'), problems));
}

/** The two sizes of a consistency proof, `from ≤ to`. */
export function consistencySizes(q: ConsistencyQueryDto): { from: number; to: number } {
  const problems: string[] = [];
  const from = numberParam(q.from, 1, sizeMessage('from'), problems);
  const to = numberParam(q.to, 1, sizeMessage('to'), problems);
  if (from !== undefined && to !== undefined && from > to) problems.push('from must not be greater than to');
  return check(problems, { from: from as number, to: to as number });
}

/** The index range of a verification or an export; an end beyond the log is the log's end. */
export function toLogRange(q: LogRangeQueryDto): { start: number; end?: number } {
  const problems: string[] = [];
  const start = numberParam(q.start, 0, indexMessage('start'), problems) ?? 0;
  const end = numberParam(q.end, 0, indexMessage('end'), problems);
  if (end !== undefined && start > end) problems.push('start must not be greater than end (end is exclusive)');
  return check(problems, { start, end });
}
