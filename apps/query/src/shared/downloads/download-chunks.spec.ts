import { Download } from './download';
import { downloadChunks } from './download-chunks';

interface Row {
  id: number;
  note: string | null;
  ok: boolean;
  context: Record<string, string>;
}

async function* rows(...list: Row[]): AsyncGenerator<Row> {
  yield* list;
}

async function text(d: Download<Row>): Promise<string> {
  let out = '';
  for await (const chunk of downloadChunks(d)) out += chunk;
  return out;
}

const FIELDS = ['id', 'note', 'ok', 'context'] as const;
const a: Row = { id: 1, note: 'two\nlines', ok: true, context: { k: 'v' } };
const b: Row = { id: 2, note: null, ok: false, context: {} };

describe('downloadChunks', () => {
  it('writes one JSON array, a record per line', async () => {
    const out = await text(new Download(rows(a, b), 'json', 'x', FIELDS));
    expect(out).toBe(`[\n${JSON.stringify(a)},\n${JSON.stringify(b)}\n]\n`);
    expect(JSON.parse(out)).toEqual([a, b]);
    expect(await text(new Download(rows(), 'json', 'x', FIELDS))).toBe('[\n]\n');
  });

  it('writes RFC 4180 CSV: a header, CRLF records, line breaks quoted, booleans as words, objects as JSON', async () => {
    const out = await text(new Download(rows(a, b), 'csv', 'x', FIELDS));
    expect(out).toBe('id,note,ok,context\r\n1,"two\nlines",true,"{""k"":""v""}"\r\n2,,false,{}\r\n');
  });

  it.each(['json', 'csv'] as const)('reads the first records before writing anything (%s): a failing database is an error, not a file cut short', async (format) => {
    const failing: AsyncIterable<Row> = { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('database down')) }) };
    const chunks = downloadChunks(new Download(failing, format, 'x', FIELDS));
    await expect(chunks.next()).rejects.toThrow('database down');
  });
});
