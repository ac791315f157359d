import { EMPTY_FRONTIER } from '@runtrail/merkle';
import { ORIGIN, checkpointNote, logEntries, signingKey } from '../verify/test/log.fixture';
import { ExportFormatError, type LogEntryLine } from './export-format';
import { checkpointLine, entryLine, headerLine, prefixLine } from './export-line';
import { ExportReader } from './export-reader';

const key = signingKey();
const [first, second] = logEntries(2) as [LogEntryLine, LogEntryLine];
const HEADER = headerLine({ origin: ORIGIN, verifierKey: key.verifierKey }).trimEnd();
const PREFIX = prefixLine(EMPTY_FRONTIER).trimEnd();
const ENTRY = entryLine(first).trimEnd();
const CHECKPOINT = checkpointLine(checkpointNote([first, second], 1, key)).trimEnd();

/** Reads lines with a fresh reader; returns the error it threw, if any. */
function read(...lines: string[]): unknown {
  const reader = new ExportReader();
  try {
    for (const text of lines) reader.line(text);
    reader.finish();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('ExportReader', () => {
  it('reads a header, a prefix, entries and checkpoints, counting lines', () => {
    const reader = new ExportReader();
    expect([HEADER, PREFIX, ENTRY, entryLine(second).trimEnd(), CHECKPOINT, CHECKPOINT].map((t) => reader.line(t).type)).toEqual([
      'header',
      'prefix',
      'entry',
      'entry',
      'checkpoint',
      'checkpoint',
    ]);
    expect(reader.lineNumber).toBe(6);
    expect(() => reader.finish()).not.toThrow();
  });

  it('takes an export without entries or checkpoints', () => {
    expect(read(HEADER, PREFIX)).toBeUndefined();
    expect(read(HEADER, PREFIX, CHECKPOINT)).toBeUndefined();
  });

  it.each([
    [[PREFIX], 'line 1: a prefix line first: expected a header line'],
    [[HEADER, HEADER], 'line 2: a header line after a header line: expected a prefix line'],
    [[HEADER, ENTRY], 'line 2: an entry line after a header line: expected a prefix line'],
    [[HEADER, PREFIX, PREFIX], 'line 3: a prefix line after a prefix line: expected an entry or a checkpoint line'],
    [[HEADER, PREFIX, CHECKPOINT, ENTRY], 'line 4: an entry line after a checkpoint line: expected a checkpoint line'],
    [[HEADER, PREFIX, ENTRY, '{"type":"entry"'], /^line 4: not JSON/],
    [[HEADER.replace('"version":1', '"version":3')], 'line 1: unsupported export version 3'],
    [[], 'the file is empty: expected a header line'],
    [[HEADER], 'the file ends after its header: expected a prefix line'],
  ])('refuses %j: %s', (lines, message) => {
    const error = read(...lines);
    expect(error).toBeInstanceOf(ExportFormatError);
    expect((error as Error).message).toMatch(message);
  });

  it('names the line of an error', () => {
    expect(read(HEADER, PREFIX, ENTRY, 'x')).toMatchObject({ line: 4 });
  });
});
