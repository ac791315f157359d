import type { ExportChunk, ExportFormat, ExportFraming } from '@runtrail/persistence';
import pLimit from 'p-limit';
import type { CursorPosition } from '../paging/cursor-codec';
import { exportFile, type ExportPace, type ExportSource } from './export-file';

const FRAMING: Record<ExportFormat, ExportFraming> = {
  json: { head: '[', first: '\n', between: ',\n', tail: '\n]\n' },
  csv: { head: 'n\r\n', first: '', between: '', tail: '' },
};

type Source = ExportSource<object> & {
  /** The records' keys, newest (largest) first; the set can change while a download runs. */
  keys: number[];
  reads: (string | undefined)[];
  walks: (string | undefined)[];
  /** Called after each walk of the keys, before its answer is used. */
  afterWalk?: (walk: number) => void;
};

/** Records `r<key>` in keyset chunks (positions by key), every read and walk recorded. */
function source(keys: number[]): Source {
  const s: Source = {
    keys,
    reads: [],
    walks: [],
    framing: (format) => FRAMING[format],
    async exportChunk(_tenant, _filter, format, limit, after) {
      s.reads.push(after?.i);
      const rest = after === undefined ? s.keys : s.keys.filter((k) => k < Number(after.i));
      const taken = rest.slice(0, limit);
      const lines = taken.map((k) => (format === 'json' ? `"r${k}"` : `r${k}\r\n`));
      const last = taken.length === limit ? { t: '', i: String(taken[taken.length - 1]) } : undefined;
      return { text: lines.join(FRAMING[format].between), records: taken.length, last } satisfies ExportChunk;
    },
    async exportChunkEnds(_tenant, _filter, every, count, after) {
      s.walks.push(after?.i);
      const rest = after === undefined ? s.keys : s.keys.filter((k) => k < Number(after.i));
      const ends: CursorPosition[] = [];
      for (let n = every; n <= Math.min(rest.length, every * count); n += every) ends.push({ t: '', i: String(rest[n - 1]) });
      s.afterWalk?.(s.walks.length);
      return ends;
    },
  };
  return s;
}

const descending = (n: number, from = 1000) => Array.from({ length: n }, (_, i) => from - i);

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const piece of chunks) out += piece;
  return out;
}

const json = (keys: number[]) => (keys.length ? `[\n${keys.map((k) => `"r${k}"`).join(',\n')}\n]\n` : '[\n]\n');

/** Chunks of 2, three chunk ends per walk: a set of a dozen records crosses several walks. */
const SMALL: Partial<ExportPace> = { chunkSize: 2, chunksPerWalk: 3, reads: pLimit(Infinity) };

describe('exportFile', () => {
  it.each([0, 1, 2, 5, 6, 7, 12, 13])('writes one JSON array, a record per line, across chunks and walks (%i records)', async (n) => {
    const s = source(descending(n));
    const out = await text(exportFile(s, 'acme', {}, 'json', SMALL));
    expect(out).toBe(json(descending(n)));
    // Every chunk is read once, each after the one before it ends.
    const full = Math.floor(n / 2);
    expect(s.reads).toEqual([undefined, ...descending(n).filter((_, i) => i % 2 === 1).slice(0, full).map(String)]);
  });

  it('writes CSV as the header row and the lines', async () => {
    expect(await text(exportFile(source(descending(3)), 'acme', {}, 'csv', SMALL))).toBe('n\r\nr1000\r\nr999\r\nr998\r\n');
    expect(await text(exportFile(source([]), 'acme', {}, 'csv', SMALL))).toBe('n\r\n');
  });

  it.each(['json', 'csv'] as const)('reads the first chunk before writing anything (%s): a failing database is an error, not a file cut short', async (format) => {
    const failingRead: ExportSource<object> = { ...source(descending(5)), exportChunk: () => Promise.reject(new Error('database down')) };
    await expect(exportFile(failingRead, 'acme', {}, format, SMALL).next()).rejects.toThrow('database down');
    const failingWalk: ExportSource<object> = { ...source(descending(5)), exportChunkEnds: () => Promise.reject(new Error('database down')) };
    await expect(exportFile(failingWalk, 'acme', {}, format, SMALL).next()).rejects.toThrow('database down');
  });

  it('reads two chunks at once, and no more than two ahead of what the client has taken', async () => {
    const s = source(descending(100));
    const pieces = exportFile(s, 'acme', {}, 'json', { chunkSize: 2, chunksPerWalk: 10 });
    // A chunk is two pieces: what comes before its lines, then its lines.
    const takeChunk = async () => {
      await pieces.next();
      await pieces.next();
    };
    await takeChunk();
    // The first chunk is out: the second was read beside it; the third waits for the client.
    expect(s.reads).toEqual([undefined, '999']);
    for (let taken = 2; taken <= 5; taken++) {
      await takeChunk();
      expect(s.reads).toHaveLength(taken + 1);
    }
    await pieces.return(undefined);
    expect(s.reads).toHaveLength(6);
    expect(s.walks).toEqual([undefined]);
  });

  it.each([
    ['a record comes', (keys: number[]) => keys.splice(3, 0, 997.5)],
    ['a record goes', (keys: number[]) => keys.splice(3, 1)],
    ['records come and go', (keys: number[]) => keys.splice(1, 2, 999.5, 999.25, 999.125)],
  ])('writes every record once when the set changes under the walk (%s)', async (_, change) => {
    const s = source(descending(13));
    // The set changes once the first walk has found the chunk ends, before any chunk is read.
    s.afterWalk = (walk) => walk === 1 && change(s.keys);
    const out = await text(exportFile(s, 'acme', {}, 'json', SMALL));
    expect(out).toBe(json(s.keys));
  });

  it('holds the reads of all downloads at once to the shared limit', async () => {
    const s = source(descending(40));
    let running = 0;
    let most = 0;
    // Each read stays open until the next turn of the event loop, so that reads can overlap.
    const held: ExportSource<object> = {
      ...s,
      async exportChunk(...args) {
        running += 1;
        most = Math.max(most, running);
        await new Promise(setImmediate);
        running -= 1;
        return s.exportChunk(...args);
      },
    };
    const reads = pLimit(3);
    // Four downloads of two readers each would read eight chunks at once.
    const files = await Promise.all(Array.from({ length: 4 }, () => text(exportFile(held, 'acme', {}, 'json', { ...SMALL, reads }))));
    for (const file of files) expect(file).toBe(json(descending(40)));
    expect(most).toBe(3);
  });
});
