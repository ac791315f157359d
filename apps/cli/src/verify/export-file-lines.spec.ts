import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportFormatError } from '@runtrail/integrity';
import { fileLines } from './export-file-lines';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'runtrail-lines-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function lines(content: string, max: number): Promise<string[]> {
  const path = join(dir, 'file');
  writeFileSync(path, content);
  const out: string[] = [];
  for await (const line of fileLines(path, max)) out.push(line);
  return out;
}

describe('fileLines', () => {
  // 70 000 bytes span two of the file stream's 64 KiB chunks: the count carries over.
  const long = 'x'.repeat(70_000);

  it('yields each line without its newline, up to the limit, across chunks', async () => {
    expect(await lines(`a\n${long}\nb`, 70_000)).toEqual(['a', long, 'b']);
    expect(await lines('a\r\nb\r\n', 2)).toEqual(['a', 'b']);
  });

  it('refuses a line over the limit, naming it, before it is buffered whole', async () => {
    const error = await lines(`a\nb\n${long}\nc\n`, 69_999).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFormatError);
    expect(error).toMatchObject({ line: 3, message: 'line 3: line longer than 69999 bytes' });
    await expect(lines(long, 69_999)).rejects.toThrow('line 1: line longer than 69999 bytes');
  });

  it('stops reading when the caller stops', async () => {
    const path = join(dir, 'many');
    writeFileSync(path, 'line\n'.repeat(100_000));
    let read = 0;
    for await (const line of fileLines(path)) {
      expect(line).toBe('line');
      if (++read === 3) break;
    }
    expect(read).toBe(3);
  });
});
