import fc from 'fast-check';
import { EMPTY_FRONTIER, leafHash } from '@runtrail/merkle';
import { ENTRY_KINDS } from '../entry/origin';
import { ORIGIN, frontierOf, logEntries, signingKey } from '../verify/test/log.fixture';
import { MAX_EXPORT_LINE_BYTES, type ExportEntry } from './export-format';
import { checkpointLine, entryLine, headerLine, parseExportLine, prefixLine } from './export-line';

const key = signingKey();
const HASH = leafHash(Buffer.from('x')).toString('base64');
const ENTRY = { type: 'entry', index: 3, entryId: '0b9c7f1e-3c1a-4d5e-9f00-1a2b3c4d5e6f', kind: 'audit-event', bytes: 'eyJhIjoxfQ==', leafHash: HASH };
const line = (object: object): string => JSON.stringify(object);

describe('export lines', () => {
  it('are written as one JSON object with the documented fields in order, ending in a newline', () => {
    const bytes = Buffer.from('{"a":1}');
    expect(entryLine({ index: 3, entryId: ENTRY.entryId, kind: 'audit-event', bytes, leafHash: leafHash(Buffer.from('x')) })).toBe(`${line(ENTRY)}\n`);
    expect(headerLine({ origin: ORIGIN, verifierKey: key.verifierKey })).toBe(`{"type":"header","version":1,"origin":"${ORIGIN}","verifierKey":"${key.verifierKey}"}\n`);
    expect(prefixLine(EMPTY_FRONTIER)).toBe('{"type":"prefix","size":0,"hashes":[]}\n');
    expect(checkpointLine('a\nb\n')).toBe('{"type":"checkpoint","note":"a\\nb\\n"}\n');
  });

  it('read back what was written', () => {
    const header = { origin: ORIGIN, verifierKey: key.verifierKey };
    expect(parseExportLine(headerLine(header).trimEnd())).toEqual({ type: 'header', version: 1, ...header });
    const prefix = frontierOf(logEntries(11), 11);
    expect(parseExportLine(prefixLine(prefix).trimEnd())).toEqual({ type: 'prefix', ...prefix });
    expect(parseExportLine(checkpointLine('note\n\n\u2014 x y\n').trimEnd())).toEqual({ type: 'checkpoint', note: 'note\n\n\u2014 x y\n' });
  });

  it('read back every kind of entry that was written', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b));
    const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
    const fields = { entryId: fc.uuid(), kind: fc.constantFrom(...ENTRY_KINDS) };
    const entries: fc.Arbitrary<ExportEntry> = fc.oneof(
      fc.record({ index: fc.nat(), ...fields, bytes: fc.option(bytes), leafHash: hash }),
      fc.record({ index: fc.constant(null), ...fields, bytes, leafHash: fc.constant(null) }),
    );
    fc.assert(fc.property(entries, (e) => expect(parseExportLine(entryLine(e).slice(0, -1))).toEqual({ type: 'entry', ...e })));
  });

  it.each([
    ['', 'empty line'],
    ['{"type":"entry"', /^not JSON/],
    ['[1]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    ['{"index":1}', 'unknown line type undefined'],
    ['{"type":"footer"}', 'unknown line type "footer"'],
    ['{"type":"toString"}', 'unknown line type "toString"'],
    [line({ type: 'header', version: 2, origin: ORIGIN, verifierKey: 'k' }), 'unsupported export version 2 (this reader knows version 1)'],
    [line({ type: 'header', version: '1', origin: ORIGIN, verifierKey: 'k' }), 'unsupported export version "1"'],
    [line({ type: 'header', origin: ORIGIN }), 'unsupported export version undefined'],
    [line({ type: 'header', version: 1, origin: ORIGIN }), 'header line lacks verifierKey'],
    [line({ type: 'header', version: 1, origin: 'a b', verifierKey: 'k' }), 'header origin is not a valid name'],
    [line({ type: 'header', version: 1, origin: ORIGIN, verifierKey: 'k' }), 'header verifierKey: malformed verifier key'],
    [line({ type: 'header', version: 1, origin: ORIGIN, verifierKey: 7 }), 'header verifierKey must be a string'],
    [line({ type: 'prefix', size: 3, hashes: [HASH] }), 'prefix hashes must be an array of 2 hashes for size 3'],
    [line({ type: 'prefix', size: -1, hashes: [] }), 'prefix size must be a whole number ≥ 0'],
    [line({ type: 'prefix', size: 1, hashes: ['AAAA'] }), 'prefix hashes[0] must be a 32-byte hash'],
    [line({ type: 'checkpoint', note: '' }), 'checkpoint note must be a non-empty string'],
    [line({ type: 'checkpoint', note: 'x', extra: 1 }), 'checkpoint line has an unknown field "extra"'],
    [line({ ...ENTRY, index: 1.5 }), 'entry index must be a whole number ≥ 0'],
    [line({ ...ENTRY, index: '3' }), 'entry index must be a whole number ≥ 0'],
    [line({ ...ENTRY, entryId: '' }), 'entry entryId is not a valid name'],
    [line({ ...ENTRY, entryId: 'a\u0000b' }), 'entry entryId is not a valid name'],
    [line({ ...ENTRY, entryId: 'x'.repeat(257) }), 'entry entryId is not a valid name'],
    [line({ ...ENTRY, kind: 'event' }), 'entry kind must be one of audit-event, action-run-report, admin-act'],
    [line({ ...ENTRY, bytes: 'eyJhIjoxfQ' }), 'entry bytes must be standard base64'],
    [line({ ...ENTRY, bytes: 'eyJh Ijox' }), 'entry bytes must be standard base64'],
    [line({ ...ENTRY, bytes: 7 }), 'entry bytes must be standard base64'],
    [line({ ...ENTRY, leafHash: HASH.replace(/[+/]/g, '-').replace('=', '') }), 'entry leafHash must be standard base64'],
    [line({ ...ENTRY, leafHash: null }), 'entry leafHash must be standard base64'],
    [line({ ...ENTRY, leafHash: 'eyJhIjoxfQ==' }), 'entry leafHash must be a 32-byte hash'],
    [line({ ...ENTRY, index: null }), 'an entry without an index (a row the log does not have) must have leafHash null'],
    [line({ ...ENTRY, index: null, leafHash: null, bytes: null }), 'entry bytes must be standard base64'],
    [line({ type: 'entry', index: 3 }), 'entry line lacks entryId'],
  ])('refuses %s: %s', (text, message) => {
    expect(() => parseExportLine(text)).toThrow(message);
  });

  it('refuses a line longer than the limit before parsing it', () => {
    const long = line({ ...ENTRY, bytes: Buffer.alloc(MAX_EXPORT_LINE_BYTES).toString('base64') });
    expect(() => parseExportLine(long)).toThrow(`line longer than ${MAX_EXPORT_LINE_BYTES} bytes`);
  });
});
