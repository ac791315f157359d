import type { Frontier } from '@runtrail/merkle';
import type { EntryKind } from '../entry/origin';

/**
 * The export file of a tenant log (`GET /v1/integrity/export`, read by `runtrail verify`):
 * NDJSON, one JSON object per line, in this order:
 *
 *     {"type":"header","version":1,"origin":"runtrail/local/acme","verifierKey":"<vkey>"}
 *     {"type":"prefix","size":S,"hashes":["<b64>",...]}
 *     {"type":"entry","index":i,"entryId":"<id>","kind":"audit-event","bytes":"<b64>","leafHash":"<b64>"}   (0 or more)
 *     {"type":"checkpoint","note":"<signed note>"}                                                         (0 or more)
 *
 * `prefix` is the compact range of the leaves before the first exported entry (largest
 * subtree first, a `Frontier`), so that each checkpoint's root can be recomputed from the
 * file alone. Hashes and bytes are standard base64. In memory (parsed, or given to the
 * writers and to `LogVerifier`) hashes and bytes are Buffers.
 */

export const EXPORT_VERSION = 1;

/**
 * The longest line taken. An entry is at most one stream message (1 MiB), 1.4 MiB in
 * base64: a longer line is not an export, and a reader must not buffer it without end.
 */
export const MAX_EXPORT_LINE_BYTES = 4 * 1024 * 1024;

export interface ExportHeader {
  /** The log's origin, `runtrail/<installation>/<tenantId>`: the first line of its checkpoints. */
  origin: string;
  /** The signing key as the service named it; informational (a verifier uses the keys it trusts). */
  verifierKey: string;
}

/**
 * One exported entry. A log entry has its index and the leaf hash the log stored; its
 * `bytes` are the canonical entry rebuilt from the rows readers see, `null` when its row is
 * gone. A row the log does not have (inserted behind its back) has no index and no leaf
 * hash, and stands right before the log entry that follows it.
 */
export type ExportEntry = LogEntryLine | InsertedRowLine;

interface EntryFields {
  entryId: string;
  kind: EntryKind;
}

export interface LogEntryLine extends EntryFields {
  index: number;
  bytes: Buffer | null;
  leafHash: Buffer;
}

export interface InsertedRowLine extends EntryFields {
  index: null;
  bytes: Buffer;
  leafHash: null;
}

/** A parsed line: the wire object with its hashes and bytes decoded. */
export type ExportLine =
  | ({ type: 'header'; version: typeof EXPORT_VERSION } & ExportHeader)
  | ({ type: 'prefix' } & Frontier)
  | ({ type: 'entry' } & ExportEntry)
  | { type: 'checkpoint'; note: string };

/** The file breaks the format (not a line of it, an unknown type or version, out of order). */
export class ExportFormatError extends Error {
  /** `line`: the 1-based line number, when the error is about one line of a file. */
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ExportFormatError';
  }
}
