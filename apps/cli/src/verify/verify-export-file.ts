import type { NoteVerifier } from '@runtrail/merkle';
import {
  ExportFormatError,
  ExportReader,
  LogVerifier,
  parseCheckpointText,
  unverifiedNoteText,
  type ExportHeader,
  type ExportLine,
  type LogVerification,
} from '@runtrail/integrity';
import { fileLines } from './export-file-lines';
import { VerifyInputError } from './verify-input';

export interface ExportFileCheck {
  header: ExportHeader;
  result: LogVerification;
  /** The saved checkpoint's size, when one was given. */
  savedSize?: number;
}

/**
 * Reads the export at `path` through `visit`, line by line, in order. `visit` answers
 * false to stop early. Format errors name the line.
 */
async function eachLine(path: string, visit: (line: ExportLine) => boolean | void): Promise<void> {
  const reader = new ExportReader();
  try {
    for await (const text of fileLines(path)) {
      const line = reader.line(text);
      try {
        if (visit(line) === false) return;
      } catch (error) {
        // The verifier's format errors concern the line it was given.
        throw error instanceof ExportFormatError && error.line === undefined ? new ExportFormatError(error.message, reader.lineNumber) : error;
      }
    }
    reader.finish();
  } catch (error) {
    if (error instanceof ExportFormatError) throw new VerifyInputError(`${path}: ${error.message}`);
    // A read error (ENOENT, EISDIR, EACCES...); not `instanceof Error`, which fails across realms (jest).
    const { code, message } = error as NodeJS.ErrnoException;
    if (typeof code === 'string') throw new VerifyInputError(`cannot read ${path}: ${message}`);
    throw error;
  }
}

/**
 * Checks an export file offline with the given keys (never the header's). Two passes, so
 * that only the checkpoints are held in memory however long the file: the first reads the
 * whole file (any format error is found before a verdict) and hands the verifier its
 * prefix and checkpoints (they come last in the file, and the verifier needs them before
 * the entries); the second streams the entries through it. `savedNote`: a checkpoint
 * saved earlier, which the log must extend.
 */
export async function verifyExportFile(path: string, verifiers: readonly NoteVerifier[], savedNote?: string): Promise<ExportFileCheck> {
  let header: ExportHeader | undefined;
  let verifier: LogVerifier | undefined;
  await eachLine(path, (line) => {
    if (line.type === 'header') header = line;
    // The reader keeps the order: the header came before the prefix, the prefix before the rest.
    else if (line.type === 'prefix') verifier = new LogVerifier({ origin: (header as ExportHeader).origin, verifiers, prefix: line });
    else if (line.type === 'checkpoint') (verifier as LogVerifier).checkpoint(line.note);
  });
  const log = verifier as LogVerifier;
  let savedSize: number | undefined;
  if (savedNote !== undefined) {
    try {
      log.saved(savedNote);
    } catch (error) {
      if (error instanceof ExportFormatError) throw new VerifyInputError(`--checkpoint: ${error.message}`);
      throw error;
    }
    savedSize = parseCheckpointText(unverifiedNoteText(savedNote)).size;
  }
  await eachLine(path, (line) => {
    if (line.type === 'checkpoint') return false;
    if (line.type === 'entry') log.entry(line);
    return true;
  });
  return { header: header as ExportHeader, result: log.finish(), savedSize };
}
