import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { reportKey, type RunReport } from './run-report';

/** How much the spool keeps: beyond either bound the oldest reports are dropped. */
export interface SpoolLimits {
  maxEntries: number;
  maxBytes: number;
}

export const DEFAULT_SPOOL_LIMITS: SpoolLimits = { maxEntries: 1000, maxBytes: 1024 * 1024 };

/** A report the API refused as invalid (400/413/415), kept for a human to look at. */
export interface RejectedReport {
  report: RunReport;
  /** The API's answer, e.g. `Runtrail API answered 400: [0].block.name must match ...`. */
  reason: string;
}

/** What one settlement changed. */
export interface SpoolChange {
  /** Reports dropped from the spool (oldest first) to keep it within its limits. */
  dropped: number;
  /** Reports dropped from rejected.jsonl to keep it within the same limits. */
  droppedRejected: number;
}

const LOCK_STALE_MS = 3000;
const LOCK_WAIT_MS = 500;
/** Past this, write without the lock rather than hold the automation up. */
const LOCK_GIVE_UP_MS = 800;
const LOCK_POLL_MS = 10;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isReport(value: unknown): value is RunReport {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.status === 'string';
}

/** The lines of a JSONL file, oldest first; a torn or foreign line is skipped. */
function readLines<T>(path: string, accept: (value: unknown) => value is T): T[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  }
  const out: T[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value: unknown = JSON.parse(line);
      if (accept(value)) out.push(value);
    } catch {
      // A line torn by a crash mid-write: skipped, and gone at the next rewrite.
    }
  }
  return out;
}

/** Keeps the newest lines within the limits; returns the kept lines and how many went. */
function bound(lines: string[], limits: SpoolLimits): { kept: string[]; dropped: number } {
  let bytes = lines.reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0);
  let start = 0;
  while (start < lines.length && (lines.length - start > limits.maxEntries || bytes > limits.maxBytes)) {
    bytes -= Buffer.byteLength(lines[start]) + 1;
    start++;
  }
  return { kept: lines.slice(start), dropped: start };
}

/**
 * The local spool of undelivered run reports (`~/.runtrail/spool.jsonl`, one JSON report
 * per line, oldest first) and the reports the API refused as invalid
 * (`~/.runtrail/rejected.jsonl`, `{ rejectedAt, reason, report }` per line).
 *
 * Reading takes no lock and skips torn lines. Every change is read-modify-write under a
 * lock file (`spool.lock`, created exclusively; one older than 3 s is taken over, as is
 * one still held after 0.5 s of waiting), written to a temporary file and renamed over the
 * old one, so a reader sees the old or the new file, never half of one, and two runs
 * that finish at once cannot lose each other's reports. Removal is by report identity
 * (run id and status), never by position: reports added meanwhile stay. The directory
 * is created 0700, the files 0600: reports name hosts and users.
 */
export class ReportSpool {
  readonly path: string;
  readonly rejectedPath: string;
  private readonly lockPath: string;

  constructor(
    readonly dir: string,
    private readonly limits: SpoolLimits = DEFAULT_SPOOL_LIMITS,
  ) {
    this.path = join(dir, 'spool.jsonl');
    this.rejectedPath = join(dir, 'rejected.jsonl');
    this.lockPath = join(dir, 'spool.lock');
  }

  /** The spooled reports, oldest first. */
  read(): RunReport[] {
    return readLines(this.path, isReport);
  }

  /** The rejected reports, oldest first. */
  readRejected(): (RejectedReport & { rejectedAt: string })[] {
    return readLines(this.rejectedPath, (v): v is RejectedReport & { rejectedAt: string } => isReport((v as { report?: unknown } | null)?.report));
  }

  /**
   * One change, under the lock: `remove` (delivered or rejected) leave the spool,
   * `add` join it at the end (unless already there), `reject` are appended to
   * rejected.jsonl. Creates nothing when there is nothing to write.
   */
  settle(change: { remove?: RunReport[]; add?: RunReport[]; reject?: RejectedReport[] }, now: Date = new Date()): SpoolChange {
    const remove = new Set([...(change.remove ?? []), ...(change.reject ?? []).map((r) => r.report)].map(reportKey));
    const add = change.add ?? [];
    const reject = change.reject ?? [];
    const result: SpoolChange = { dropped: 0, droppedRejected: 0 };
    if (add.length === 0 && reject.length === 0 && (remove.size === 0 || !this.exists(this.path))) return result;

    this.ensureDir();
    const release = this.lock();
    try {
      if (add.length > 0 || remove.size > 0) {
        const current = this.read().filter((r) => !remove.has(reportKey(r)));
        const present = new Set(current.map(reportKey));
        const lines = current.map((r) => JSON.stringify(r));
        for (const report of add) {
          if (present.has(reportKey(report))) continue;
          present.add(reportKey(report));
          lines.push(JSON.stringify(report));
        }
        const { kept, dropped } = bound(lines, this.limits);
        result.dropped = dropped;
        this.replace(this.path, kept);
      }
      if (reject.length > 0) {
        const lines = readLines(this.rejectedPath, (v): v is unknown => v !== undefined).map((v) => JSON.stringify(v));
        for (const r of reject) lines.push(JSON.stringify({ rejectedAt: now.toISOString(), reason: r.reason, report: r.report }));
        const { kept, dropped } = bound(lines, this.limits);
        result.droppedRejected = dropped;
        this.replace(this.rejectedPath, kept);
      }
    } finally {
      release();
    }
    return result;
  }

  private exists(path: string): boolean {
    try {
      statSync(path);
      return true;
    } catch {
      return false;
    }
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // The directory may predate us (it holds config.yml): it holds the key, keep it private.
    try {
      if ((statSync(this.dir).mode & 0o077) !== 0) chmodSync(this.dir, 0o700);
    } catch {
      // not ours to change: the files themselves are still 0600
    }
  }

  /** Writes `lines` to a temporary file beside `path` and renames it over `path`. */
  private replace(path: string, lines: string[]): void {
    const temp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(temp, lines.length > 0 ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
      chmodSync(temp, 0o600);
      renameSync(temp, path);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // already gone
      }
      throw error;
    }
  }

  /** Takes the lock file; returns its release. */
  private lock(): () => void {
    const started = Date.now();
    for (;;) {
      if (Date.now() - started > LOCK_GIVE_UP_MS) return () => undefined;
      try {
        const fd = openSync(this.lockPath, 'wx', 0o600);
        const token = `${process.pid} ${randomBytes(6).toString('hex')}\n`;
        writeSync(fd, token);
        closeSync(fd);
        return () => {
          try {
            // Only our own lock: one taken over from us meanwhile is someone else's now.
            if (readFileSync(this.lockPath, 'utf8') === token) unlinkSync(this.lockPath);
          } catch {
            // gone already
          }
        };
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
      let age = 0;
      try {
        age = Date.now() - statSync(this.lockPath).mtimeMs;
      } catch {
        continue; // released between our open and stat: try again at once
      }
      if (age > LOCK_STALE_MS || Date.now() - started > LOCK_WAIT_MS) {
        try {
          unlinkSync(this.lockPath);
        } catch {
          // someone else took it over first
        }
        continue;
      }
      sleepSync(LOCK_POLL_MS);
    }
  }
}
