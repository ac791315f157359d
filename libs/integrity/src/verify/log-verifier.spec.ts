import { randomBytes, randomUUID } from 'node:crypto';
import { checkpointText, frontierRoot, leafHash, signNote } from '@runtrail/merkle';
import { ExportFormatError, type LogEntryLine } from '../export/export-format';
import { LogVerifier } from './log-verifier';
import { ORIGIN, checkpointNote, exportOf, frontierOf, logEntries, signingKey, verifyExport, type TestExport } from './test/log.fixture';

const key = signingKey();
const log = logEntries(20);
/** Entries 5..19 of a log of 20, with checkpoints at 8, 13 and 20. */
const honest = (): TestExport => exportOf(log, 5, [8, 13, 20], key);
const at = (file: TestExport, index: number): LogEntryLine => file.entries.find((e) => e.index === index) as LogEntryLine;
const id = (index: number): string => (log[index] as LogEntryLine).entryId;

function withEntry(index: number, change: Partial<LogEntryLine>): TestExport {
  const file = honest();
  file.entries = file.entries.map((e) => (e.index === index ? ({ ...e, ...change } as LogEntryLine) : e));
  return file;
}

describe('LogVerifier', () => {
  it('verifies an honest export and says how far its checkpoints prove it', () => {
    const result = verifyExport(honest(), [key.verifier]);
    expect(result).toMatchObject({ ok: true, entries: 15, checkpoints: 3, size: 20, firstProblem: null });
    expect(result.latest).toEqual({ origin: ORIGIN, size: 20, root: frontierRoot(frontierOf(log, 20)) });
  });

  it('verifies an export from index 0 and an export without entries', () => {
    expect(verifyExport(exportOf(log, 0, [1, 20], key), [key.verifier])).toMatchObject({ ok: true, entries: 20, checkpoints: 2, size: 20 });
    expect(verifyExport(exportOf(log, 20, [], key), [key.verifier])).toMatchObject({ ok: true, entries: 0, checkpoints: 0, size: 20, latest: null });
  });

  it('finds modified bytes at their index', () => {
    expect(verifyExport(withEntry(9, { bytes: randomBytes(12) }), [key.verifier]).firstProblem).toMatchObject({ index: 9, entryId: id(9), kind: 'modified' });
  });

  it('finds a record that is gone (bytes null) at its index, with the log entry id', () => {
    const result = verifyExport(withEntry(9, { bytes: null }), [key.verifier]);
    expect(result).toMatchObject({ ok: false, firstProblem: { index: 9, entryId: id(9), kind: 'missing' } });
  });

  it('finds a record the log does not have at the index of the log entry after it, or at the end', () => {
    const row = { index: null, entryId: randomUUID(), kind: 'admin-act' as const, bytes: randomBytes(30), leafHash: null };
    const before = honest();
    before.entries.splice(4, 0, row);
    expect(verifyExport(before, [key.verifier]).firstProblem).toMatchObject({ index: 9, entryId: row.entryId, kind: 'inserted' });
    const last = honest();
    last.entries.push(row);
    expect(verifyExport(last, [key.verifier]).firstProblem).toMatchObject({ index: 20, entryId: row.entryId, kind: 'inserted' });
  });

  it('finds two swapped records as reordered at the lower index', () => {
    const file = honest();
    const [a, b] = [at(file, 7), at(file, 12)];
    [a.bytes, b.bytes] = [b.bytes, a.bytes];
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 7, entryId: id(7), kind: 'reordered' });
  });

  it('finds a record moved away and replaced as reordered, from either side', () => {
    const moved = honest();
    at(moved, 14).bytes = at(moved, 6).bytes;
    at(moved, 6).bytes = randomBytes(10);
    expect(verifyExport(moved, [key.verifier]).firstProblem).toMatchObject({ index: 6, kind: 'reordered' });
    const rotated = honest();
    const [a, b, c] = [at(rotated, 6), at(rotated, 10), at(rotated, 16)];
    [a.bytes, b.bytes, c.bytes] = [b.bytes, c.bytes, a.bytes];
    expect(verifyExport(rotated, [key.verifier]).firstProblem).toMatchObject({ index: 6, kind: 'reordered' });
  });

  it('calls a copy of an earlier record modified: the index named is the entry that differs from the log', () => {
    const file = honest();
    at(file, 11).bytes = at(file, 6).bytes;
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 11, kind: 'modified' });
  });

  it('finds a gap in the indices as missing at the first absent index, entry unknown', () => {
    const file = honest();
    file.entries = file.entries.filter((e) => e.index !== 9);
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 9, entryId: null, kind: 'missing' });
  });

  it('finds entries cut off the end when a checkpoint covers them', () => {
    const file = honest();
    file.entries = file.entries.filter((e) => (e.index as number) < 18);
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 18, entryId: null, kind: 'missing' });
  });

  it('finds a repeated line as inserted where the next index was due', () => {
    const file = honest();
    file.entries.splice(5, 0, at(file, 9));
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 10, entryId: id(9), kind: 'inserted' });
  });

  it('finds a leaf hash changed with its bytes at the first checkpoint after it', () => {
    const bytes = randomBytes(16);
    const result = verifyExport(withEntry(9, { bytes, leafHash: leafHash(bytes) }), [key.verifier]);
    expect(result.firstProblem).toMatchObject({ index: 13, entryId: null, kind: 'inconsistent-checkpoint' });
  });

  it('finds a replaced signature as bad-signature at the checkpoint size', () => {
    const file = honest();
    const other = signNote(checkpointText(ORIGIN, 13, randomBytes(32)), ORIGIN, key.privateKey);
    const signature = other.slice(other.lastIndexOf('\n\n'));
    file.checkpoints[1] = (file.checkpoints[1] as string).slice(0, (file.checkpoints[1] as string).lastIndexOf('\n\n')) + signature;
    const result = verifyExport(file, [key.verifier]);
    expect(result.firstProblem).toMatchObject({ index: 13, entryId: null, kind: 'bad-signature' });
    expect(result.firstProblem?.detail).toContain('bad signature');
  });

  it('finds a checkpoint signed by an unknown key as bad-signature', () => {
    const file = honest();
    file.checkpoints[1] = checkpointNote(log, 13, signingKey());
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 13, kind: 'bad-signature', detail: expect.stringContaining('no signature by a known key') });
  });

  it('finds a validly signed checkpoint of another history as inconsistent-checkpoint (the operator forged history)', () => {
    const file = honest();
    const forged = [...log.slice(0, 10), ...logEntries(3)];
    file.checkpoints[1] = checkpointNote(forged, 13, key);
    expect(verifyExport(file, [key.verifier]).firstProblem).toMatchObject({ index: 13, entryId: null, kind: 'inconsistent-checkpoint' });
  });

  it('finds a checkpoint of another log signed by a trusted key as inconsistent-checkpoint', () => {
    const other = signingKey('runtrail/local/other');
    const file = honest();
    file.checkpoints[2] = checkpointNote(log, 20, other, 'runtrail/local/other');
    expect(verifyExport(file, [key.verifier, other.verifier]).firstProblem).toMatchObject({ index: 20, kind: 'inconsistent-checkpoint', detail: expect.stringContaining('runtrail/local/other') });
  });

  it('names the lowest index, and an entry before a checkpoint on a tie', () => {
    const lower = withEntry(15, { bytes: null });
    lower.checkpoints[1] = checkpointNote(log, 13, signingKey());
    expect(verifyExport(lower, [key.verifier]).firstProblem).toMatchObject({ index: 13, kind: 'bad-signature' });
    const tie = honest();
    tie.checkpoints[1] = checkpointNote(log, 13, signingKey());
    tie.entries.splice(8, 0, { index: null, entryId: randomUUID(), kind: 'audit-event', bytes: randomBytes(9), leafHash: null });
    expect(verifyExport(tie, [key.verifier]).firstProblem).toMatchObject({ index: 13, kind: 'inserted' });
  });

  describe('a saved checkpoint', () => {
    it('verifies when the log extends it, from the prefix size up', () => {
      for (const size of [5, 10, 20]) {
        expect(verifyExport(honest(), [key.verifier], [checkpointNote(log, size, key)])).toMatchObject({ ok: true, checkpoints: 3 });
      }
    });

    it('is inconsistent when the log does not extend it', () => {
      const rewritten = [...log.slice(0, 10), ...logEntries(5)];
      expect(verifyExport(honest(), [key.verifier], [checkpointNote(rewritten, 11, key)]).firstProblem).toMatchObject({ index: 11, kind: 'inconsistent-checkpoint' });
    });

    it('is inconsistent when the log ends before it, or the export starts after it', () => {
      const longer = [...log, ...logEntries(5)];
      expect(verifyExport(honest(), [key.verifier], [checkpointNote(longer, 25, key)]).firstProblem).toMatchObject({ index: 25, kind: 'inconsistent-checkpoint' });
      expect(verifyExport(honest(), [key.verifier], [checkpointNote(log, 3, key)]).firstProblem).toMatchObject({ index: 3, kind: 'inconsistent-checkpoint' });
    });

    it('is bad-signature when no trusted key signed it', () => {
      expect(verifyExport(honest(), [key.verifier], [checkpointNote(log, 10, signingKey())]).firstProblem).toMatchObject({ index: 10, kind: 'bad-signature' });
    });
  });

  it('takes checkpoints by any of the keys given after a rotation, and only those', () => {
    const next = signingKey();
    const file = honest();
    file.checkpoints[2] = checkpointNote(log, 20, next);
    expect(verifyExport(file, [key.verifier, next.verifier])).toMatchObject({ ok: true, checkpoints: 3, latest: { size: 20 } });
    expect(verifyExport(file, [next.verifier]).firstProblem).toMatchObject({ index: 8, kind: 'bad-signature' });
  });

  describe('refuses what is not an export', () => {
    const verifier = () => new LogVerifier({ origin: ORIGIN, verifiers: [key.verifier], prefix: frontierOf(log, 5) });

    it('a checkpoint line that covers no exported entry, or that is not a checkpoint', () => {
      expect(() => verifier().checkpoint(checkpointNote(log, 5, key))).toThrow(ExportFormatError);
      expect(() => verifier().checkpoint('hello\n\n\u2014 x AAAA\n')).toThrow(/a checkpoint: malformed checkpoint/);
      expect(() => verifier().saved('no signature block\n')).toThrow(/the saved checkpoint: malformed note/);
    });

    it('a prefix whose hashes do not fit its size', () => {
      expect(() => new LogVerifier({ origin: ORIGIN, verifiers: [], prefix: { size: 5, hashes: [randomBytes(32)] } })).toThrow('a prefix of size 5 has 2 hashes, not 1');
    });

    it('a checkpoint given after the entries beyond it, and any call after finish', () => {
      const v = verifier();
      for (const e of log.slice(5, 10)) v.entry(e);
      expect(() => v.checkpoint(checkpointNote(log, 8, key))).toThrow('give the checkpoints first');
      v.checkpoint(checkpointNote(log, 10, key));
      expect(v.finish()).toMatchObject({ ok: true, checkpoints: 1, latest: { size: 10 } });
      expect(() => v.finish()).toThrow('finished');
    });
  });
});
