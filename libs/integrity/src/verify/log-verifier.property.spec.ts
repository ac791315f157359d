import fc from 'fast-check';
import { checkpointText, leafHash, signNote } from '@runtrail/merkle';
import type { ExportEntry, LogEntryLine } from '../export/export-format';
import type { LogProblem } from './log-verifier';
import { ORIGIN, checkpointNote, exportOf, signingKey, verifyExport, type TestExport } from './test/log.fixture';

const key = signingKey();
const stranger = signingKey();

/** A log of `size` entries whose bytes follow from `seed` (so a failing case replays). */
function entriesOf(seed: number, size: number): LogEntryLine[] {
  return Array.from({ length: size }, (_, index) => {
    const bytes = Buffer.from(`entry ${seed} ${index}`);
    return { index, entryId: `e-${seed}-${index}`, kind: 'audit-event', bytes, leafHash: leafHash(bytes) };
  });
}

/**
 * Random logs, exports from a random start, checkpoints at random sizes: always one at the
 * end, since entries past the last checkpoint are proven by nothing, so changing them
 * consistently (bytes with their leaf hash) cannot be found from the file alone.
 */
const logs = fc
  .record({ seed: fc.nat(), size: fc.integer({ min: 1, max: 40 }) })
  .chain(({ seed, size }) =>
    fc.record({
      seed: fc.constant(seed),
      size: fc.constant(size),
      start: fc.integer({ min: 0, max: size - 1 }),
      picks: fc.uniqueArray(fc.integer({ min: 1, max: size }), { maxLength: 6 }),
    }),
  )
  .map(({ seed, size, start, picks }) => {
    const log = entriesOf(seed, size);
    const sizes = [...new Set([...picks.filter((s) => s > start), size])].sort((a, b) => a - b);
    return { seed, log, start, sizes, file: exportOf(log, start, sizes, key) };
  });

type Case = { seed: number; log: LogEntryLine[]; start: number; sizes: number[]; file: TestExport };
type Expected = Pick<LogProblem, 'index' | 'kind'>;
/** One tampering: changes the file, says what the verifier must find. `r` is a random number in [0, 1). */
type Tampering = (c: Case, r: number) => Expected;

const pick = <T>(items: readonly T[], r: number): [T, number] => {
  const i = Math.floor(r * items.length);
  return [items[i] as T, i];
};
const logged = (c: Case, r: number): [LogEntryLine, number] => pick(c.file.entries as LogEntryLine[], r);
const firstCheckpointAfter = (c: Case, index: number): number => c.sizes.find((s) => s > index) as number;
const row = (c: Case): ExportEntry => ({ index: null, entryId: 'row', kind: 'admin-act', bytes: Buffer.from(`row ${c.seed}`), leafHash: null });

const modify: Tampering = (c, r) => {
  const [e] = logged(c, r);
  e.bytes = Buffer.concat([e.bytes as Buffer, Buffer.from('!')]);
  return { index: e.index, kind: 'modified' };
};

const dropLine: Tampering = (c, r) => {
  const [e, i] = logged(c, r);
  c.file.entries.splice(i, 1);
  return { index: e.index, kind: 'missing' };
};

const TAMPERINGS: Record<string, Tampering> = {
  modified: modify,
  'bytes null': (c, r) => {
    const [e] = logged(c, r);
    e.bytes = null;
    return { index: e.index, kind: 'missing' };
  },
  'row inserted': (c, r) => {
    const at = Math.floor(r * (c.file.entries.length + 1));
    c.file.entries.splice(at, 0, row(c));
    const after = c.file.entries[at + 1];
    return { index: after === undefined ? c.log.length : (after.index as number), kind: 'inserted' };
  },
  'line repeated': (c, r) => {
    const [e, i] = logged(c, r);
    c.file.entries.splice(i + 1, 0, { ...e });
    return { index: e.index + 1, kind: 'inserted' };
  },
  'line dropped': dropLine,
  swapped: (c, r) => {
    const [a, i] = logged(c, r);
    const b = c.file.entries[(i + 1 + Math.floor(r * 997)) % c.file.entries.length] as LogEntryLine;
    // One entry only: nothing to swap it with.
    if (a === b) return modify(c, r);
    [a.bytes, b.bytes] = [b.bytes, a.bytes];
    return { index: Math.min(a.index, b.index), kind: 'reordered' };
  },
  'leaf hash changed with its bytes': (c, r) => {
    const [e] = logged(c, r);
    e.bytes = Buffer.from(`forged ${c.seed}`);
    e.leafHash = leafHash(e.bytes);
    return { index: firstCheckpointAfter(c, e.index), kind: 'inconsistent-checkpoint' };
  },
  'prefix hash changed': (c, r) => {
    if (c.file.prefix.size === 0) return dropLine(c, r);
    const [h, i] = pick(c.file.prefix.hashes, r);
    c.file.prefix.hashes[i] = leafHash(h);
    return { index: firstCheckpointAfter(c, c.start), kind: 'inconsistent-checkpoint' };
  },
  'checkpoint of another history': (c, r) => {
    const [size, i] = pick(c.sizes, r);
    c.file.checkpoints[i] = signNote(checkpointText(ORIGIN, size, leafHash(Buffer.from(`other ${c.seed}`))), ORIGIN, key.privateKey);
    return { index: size, kind: 'inconsistent-checkpoint' };
  },
  'checkpoint by an unknown key': (c, r) => {
    const [size, i] = pick(c.sizes, r);
    c.file.checkpoints[i] = checkpointNote(c.log, size, stranger);
    return { index: size, kind: 'bad-signature' };
  },
  'checkpoint text changed': (c, r) => {
    const [size, i] = pick(c.sizes, r);
    const note = c.file.checkpoints[i] as string;
    // An extension line added to the signed text.
    c.file.checkpoints[i] = note.replace('\n\n', '\nextension\n\n');
    return { index: size, kind: 'bad-signature' };
  },
};

describe('LogVerifier on random logs', () => {
  it('verifies every untampered export', () => {
    fc.assert(
      fc.property(logs, (c) => {
        expect(verifyExport(c.file, [key.verifier])).toMatchObject({ ok: true, firstProblem: null, size: c.log.length, latest: { size: c.log.length } });
      }),
    );
  });

  it('never verifies an export with one tampering, and names where and what it is', () => {
    fc.assert(
      fc.property(logs, fc.constantFrom(...Object.keys(TAMPERINGS)), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (c, name, r) => {
        const expected = (TAMPERINGS[name] as Tampering)(c, r);
        const result = verifyExport(c.file, [key.verifier]);
        expect(result.ok).toBe(false);
        expect(result.firstProblem).toMatchObject(expected);
      }),
      { numRuns: 300 },
    );
  });
});
