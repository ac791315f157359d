import type { ExportChunk, ExportFormat, ExportFraming } from '@runtrail/persistence';
import type { CursorPosition } from '../paging/cursor-codec';
import { exportFile, type ExportSource } from './export-file';

const FRAMING: Record<ExportFormat, ExportFraming> = {
  json: { head: '[', first: '\n', between: ',\n', tail: '\n]\n' },
  csv: { head: 'n\r\n', first: '', between: '', tail: '' },
};

/** Lines `r0`, `r1`, … (`count` of them, endless without), read in keyset chunks; every read is recorded. */
function source(count = Infinity): ExportSource<object> & { reads: (CursorPosition | undefined)[] } {
  const reads: (CursorPosition | undefined)[] = [];
  return {
    reads,
    framing: (format) => FRAMING[format],
    async exportChunk(_tenant, _filter, format, limit, after) {
      reads.push(after);
      const from = after === undefined ? 0 : Number(after.i) + 1;
      const n = Math.max(0, Math.min(limit, count - from));
      const lines = Array.from({ length: n }, (_, k) => (format === 'json' ? `"r${from + k}"` : `r${from + k}\r\n`));
      return { lines, last: n ? { t: 'x', i: String(from + n - 1) } : undefined } satisfies ExportChunk;
    },
  };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const piece of chunks) out += piece;
  return out;
}

const json = (n: number) => (n ? `[\n${Array.from({ length: n }, (_, i) => `"r${i}"`).join(',\n')}\n]\n` : '[\n]\n');

describe('exportFile', () => {
  it.each([0, 1, 2, 5, 6])('writes one JSON array, a record per line, across chunks (%i records, chunks of 2)', async (n) => {
    const s = source(n);
    const out = await text(exportFile(s, 'acme', {}, 'json', 2));
    expect(out).toBe(json(n));
    expect(JSON.parse(out)).toEqual(Array.from({ length: n }, (_, i) => `r${i}`));
    // Each chunk continues after the last record of the one before; a short chunk is the last.
    expect(s.reads.map((a) => a?.i)).toEqual([undefined, ...Array.from({ length: Math.floor(n / 2) }, (_, k) => String(2 * k + 1))]);
  });

  it('writes CSV as the header row and the lines', async () => {
    expect(await text(exportFile(source(3), 'acme', {}, 'csv', 2))).toBe('n\r\nr0\r\nr1\r\nr2\r\n');
    expect(await text(exportFile(source(0), 'acme', {}, 'csv', 2))).toBe('n\r\n');
  });

  it.each(['json', 'csv'] as const)('reads the first chunk before writing anything (%s): a failing database is an error, not a file cut short', async (format) => {
    const failing: ExportSource<object> = { framing: (f) => FRAMING[f], exportChunk: () => Promise.reject(new Error('database down')) };
    await expect(exportFile(failing, 'acme', {}, format).next()).rejects.toThrow('database down');
  });

  it('reads at most one chunk ahead of what the client has taken', async () => {
    const s = source();
    const pieces = exportFile(s, 'acme', {}, 'json', 10);
    for (let taken = 1; taken <= 5; taken++) {
      await pieces.next();
      // The piece of chunk `taken` is out; chunk `taken + 1` is being read, nothing further.
      expect(s.reads).toHaveLength(taken + 1);
    }
    await pieces.return(undefined);
    expect(s.reads).toHaveLength(6);
  });
});
