import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMPTY_FRONTIER, appendLeaves, checkpointText, frontierRoot, leafHash, rawPublicKey, signNote, verifierKey } from '@runtrail/merkle';
import { MAX_EXPORT_LINE_BYTES, checkpointLine, entryLine, headerLine, prefixLine, type LogEntryLine } from '@runtrail/integrity';
import { runCli } from '../run-cli';

const ORIGIN = 'runtrail/local/acme';

interface Key {
  privateKey: KeyObject;
  verifierKey: string;
}

function newKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, verifierKey: verifierKey(ORIGIN, rawPublicKey(publicKey)) };
}

const key = newKey();
const log: LogEntryLine[] = Array.from({ length: 12 }, (_, index) => {
  const bytes = randomBytes(20);
  return { index, entryId: randomUUID(), kind: 'action-run-report', bytes, leafHash: leafHash(bytes) };
});
const leaves = (size: number) => log.slice(0, size).map((e) => e.leafHash);
const note = (size: number, by: Key = key, root = frontierRoot(appendLeaves(EMPTY_FRONTIER, leaves(size)).frontier)): string =>
  signNote(checkpointText(ORIGIN, size, root), ORIGIN, by.privateKey);

/** The export of entries 4..11 with checkpoints at 6 and 12, as JSON objects a line (to tamper with). */
function exportLines(checkpoints: string[] = [note(6), note(12)]): Record<string, unknown>[] {
  const text = [
    headerLine({ origin: ORIGIN, verifierKey: key.verifierKey }),
    prefixLine(appendLeaves(EMPTY_FRONTIER, leaves(4)).frontier),
    ...log.slice(4).map(entryLine),
    ...checkpoints.map(checkpointLine),
  ].join('');
  return text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
const entryAt = (lines: Record<string, unknown>[], index: number) => lines.find((l) => l['index'] === index) as Record<string, unknown>;

let dir: string;
let n = 0;
/** Writes a file into the temp dir; returns its path. */
function file(content: string | Record<string, unknown>[]): string {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, typeof content === 'string' ? content : content.map((l) => `${JSON.stringify(l)}\n`).join(''));
  return path;
}

async function verify(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'runtrail', 'verify', ...args], {
    writeOut: (text) => (out += text),
    writeErr: (text) => (err += text),
  });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runtrail-verify-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runtrail verify', () => {
  it('exits 0 with a one-line summary for an honest export, opening no connection', async () => {
    const connect = jest.spyOn(Socket.prototype, 'connect');
    const root = frontierRoot(appendLeaves(EMPTY_FRONTIER, leaves(12)).frontier).toString('base64');
    expect(await verify('--public-key', key.verifierKey, file(exportLines()))).toEqual({
      code: 0,
      out: `runtrail verify: ok: 8 entries (indices 4 to 11), 2 checkpoints; latest checkpoint: size 12, root ${root}\n`,
      err: '',
    });
    expect(connect).not.toHaveBeenCalled();
    connect.mockRestore();
  });

  it('takes the options after the file too, and a saved checkpoint the log extends', async () => {
    const saved = file(note(9));
    const { code, out } = await verify(file(exportLines()), '--checkpoint', saved, '--public-key', key.verifierKey);
    expect(code).toBe(0);
    expect(out).toMatch(/; the log extends the saved checkpoint of size 9\n$/);
  });

  it('warns about entries after the latest checkpoint, which nothing in the file proves', async () => {
    const { code, err } = await verify('--public-key', key.verifierKey, file(exportLines([note(6)])));
    expect(code).toBe(0);
    expect(err).toBe('runtrail verify: warning: 6 entries from index 6 on are after the latest checkpoint: nothing in the file proves them\n');
  });

  describe('exits 1 with the first problem on stderr', () => {
    const tampered = (change: (lines: Record<string, unknown>[]) => void) => (): string => {
      const lines = exportLines();
      change(lines);
      return file(lines);
    };
    const withCheckpoints = (notes: string[]) => (): string => file(exportLines(notes));
    const id = (index: number) => (log[index] as LogEntryLine).entryId;
    const row = { type: 'entry', index: null, entryId: randomUUID(), kind: 'admin-act', bytes: 'e30=', leafHash: null };
    const unknown = newKey();
    const cases: [string, () => string, RegExp][] = [
      ['modified bytes', tampered((l) => (entryAt(l, 7)['bytes'] = 'e30=')), new RegExp(`^index 7, entry ${id(7)}, modified: `)],
      ['a record gone', tampered((l) => (entryAt(l, 7)['bytes'] = null)), new RegExp(`^index 7, entry ${id(7)}, missing: `)],
      ['an inserted row', tampered((l) => l.splice(5, 0, row)), new RegExp(`^index 7, entry ${row.entryId}, inserted: `)],
      ['a gap', tampered((l) => l.splice(5, 1)), /^index 7, entry -, missing: the entries skip from index 7 to 8\n$/],
      ['entries swapped', tampered((l) => ([entryAt(l, 5)['bytes'], entryAt(l, 9)['bytes']] = [entryAt(l, 9)['bytes'], entryAt(l, 5)['bytes']])), new RegExp(`^index 5, entry ${id(5)}, reordered: `)],
      ['a replaced signature', withCheckpoints([note(6).replace(/ \S+\n$/, ` ${note(6, key, randomBytes(32)).split(' ').pop()}`), note(12)]), /^index 6, entry -, bad-signature: .*bad signature/],
      ['an unknown key', withCheckpoints([note(6), note(12, unknown)]), /^index 12, entry -, bad-signature: .*no signature by a known key/],
      ['a forged root', withCheckpoints([note(6), note(12, key, randomBytes(32))]), /^index 12, entry -, inconsistent-checkpoint: /],
      ['a saved checkpoint the log does not extend', withCheckpoints([note(6), note(12)]), /^index 10, entry -, inconsistent-checkpoint: the saved checkpoint of size 10/],
    ];

    it.each(cases)('%s', async (name, path, problem) => {
      const saved = name.startsWith('a saved') ? ['--checkpoint', file(note(10, key, randomBytes(32)))] : [];
      const { code, out, err } = await verify('--public-key', key.verifierKey, path(), ...saved);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toMatch(problem);
      expect(err.split('\n')).toHaveLength(2);
    });
  });

  describe('reads keys from a file', () => {
    const next = newKey();
    const rotated = () => file(exportLines([note(6), note(12, next)]));

    it('with every key a rotation left, and warns when the header names none of them', async () => {
      const keys = file(`# acme, newest first\n${next.verifierKey}\n\n${key.verifierKey}\n`);
      expect(await verify('--public-key', keys, rotated())).toMatchObject({ code: 0, err: '' });
      const { code, err } = await verify('--public-key', file(`${next.verifierKey}\n`), rotated());
      expect(code).toBe(1);
      expect(err).toMatch(/^runtrail verify: warning: the file's header names the key runtrail\/local\/acme\+[0-9a-f]{8}\+\S+, which is not one of the keys given/);
      expect(err).toMatch(/\nindex 6, entry -, bad-signature: /);
    });
  });

  describe('exits 2', () => {
    const honest = () => file(exportLines());
    const cases: [string, () => string[], RegExp][] = [
      ['without a file', () => ['--public-key', key.verifierKey], /missing required argument 'file'/],
      ['without --public-key', () => [honest()], /required option '--public-key <key>' not specified/],
      ['with an unknown option', () => ['--public-key', key.verifierKey, '--online', honest()], /unknown option '--online'/],
      ['for a file that does not exist', () => ['--public-key', key.verifierKey, join(dir, 'nope')], /^runtrail verify: cannot read .*nope: ENOENT/],
      ['for a directory', () => ['--public-key', key.verifierKey, dir], /^runtrail verify: cannot read .*: EISDIR/],
      ['for a line that is not JSON', () => ['--public-key', key.verifierKey, file(`${JSON.stringify(exportLines()[0])}\n{"type":\n`)], /^runtrail verify: .*: line 2: not JSON/],
      ['for an unknown version', () => ['--public-key', key.verifierKey, file(exportLines().map((l, i) => (i === 0 ? { ...l, version: 2 } : l)))], /: line 1: unsupported export version 2/],
      ['for lines out of order', () => ['--public-key', key.verifierKey, file(exportLines().reverse())], /: line 1: a checkpoint line first: expected a header line/],
      ['for an empty file', () => ['--public-key', key.verifierKey, file('')], /: the file is empty/],
      ['for a line over the limit', () => ['--public-key', key.verifierKey, file('x'.repeat(MAX_EXPORT_LINE_BYTES + 1))], /: line 1: line longer than 4194304 bytes/],
      ['for a key that is neither a key nor a file', () => ['--public-key', 'runtrail/local/acme+00000000+AAAA', honest()], /--public-key is neither a verifier key \(.*\) nor a readable key file/],
      ['for a key file with a bad line', () => ['--public-key', file(`${key.verifierKey}\nnot a key\n`), honest()], /--public-key file .* line 2: malformed verifier key/],
      ['for an unreadable saved checkpoint', () => ['--public-key', key.verifierKey, '--checkpoint', join(dir, 'nope'), honest()], /cannot read --checkpoint file/],
      ['for a saved checkpoint that is not one', () => ['--public-key', key.verifierKey, '--checkpoint', file('hello\n'), honest()], /--checkpoint: the saved checkpoint: malformed note/],
    ];

    it.each(cases)('%s', async (_name, args, message) => {
      const { code, out, err } = await verify(...args());
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(message);
    });
  });

  it('explains itself for verify --help, exit 0', async () => {
    const { code, out } = await verify('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: runtrail verify --public-key <key> <file> \[--checkpoint <note-file>\]/);
    for (const text of ['--public-key <key>', '--checkpoint <note-file>', 'opens no connection', 'inconsistent-checkpoint', '2  bad usage']) expect(out).toContain(text);
  });

  it('reads a file whose lines end in CRLF, and a saved note without its final newline', async () => {
    const crlf = file(exportLines().map((l) => `${JSON.stringify(l)}\r\n`).join(''));
    const saved = file(note(12).trimEnd());
    expect(await verify('--public-key', key.verifierKey, '--checkpoint', saved, crlf)).toMatchObject({ code: 0, err: '' });
  });
});
