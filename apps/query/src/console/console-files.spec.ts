import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DependencyUnavailableError, NotFoundError } from '@runtrail/platform';
import type { QueryConfig } from '../shared/config/query.config';
import { ConsoleFiles, defaultConsoleDir } from './console-files';

async function text(body: Buffer | Readable): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('ConsoleFiles', () => {
  let dir: string;
  const files = (consoleDir?: string) => new ConsoleFiles({ CONSOLE_DIR: consoleDir } as QueryConfig);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runtrail-console-'));
    mkdirSync(join(dir, 'assets', 'fonts'), { recursive: true });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(join(dir, 'assets', 'fonts', 'inter.woff2'), 'font');
    writeFileSync(join(dir, 'secret.txt'), 'not an asset');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('serves index.html as the page, uncached', async () => {
    const page = await files(dir).page();
    expect(page).toMatchObject({ type: 'text/html; charset=utf-8', cache: 'page' });
    expect(await text(page.body)).toContain('/assets/index-abc123.js');
  });

  it('serves the hashed files under assets/ with their types, to be cached for good', async () => {
    const js = await files(dir).asset(['index-abc123.js']);
    expect(js).toMatchObject({ type: 'text/javascript; charset=utf-8', cache: 'asset' });
    expect(await text(js.body)).toBe('console.log(1)');
    const css = await files(dir).asset(['index-abc123.css']);
    expect([css.type, await text(css.body)]).toEqual(['text/css; charset=utf-8', 'body{}']);
    const font = await files(dir).asset(['fonts', 'inter.woff2']);
    expect([font.type, await text(font.body)]).toEqual(['font/woff2', 'font']);
  });

  it('answers 404 for a missing file, a folder, and any path that would leave assets/', async () => {
    for (const segments of [['missing.js'], ['fonts'], ['..', 'secret.txt'], ['..', 'index.html'], ['.hidden'], ['a\\..\\secret.txt'], [''], []]) {
      await expect(files(dir).asset(segments)).rejects.toThrow(NotFoundError);
    }
  });

  it('answers 503 naming npm run build when the console was not built', async () => {
    const absent = files(join(dir, 'nothing-here'));
    await expect(absent.page()).rejects.toThrow(new DependencyUnavailableError('the console is not built: run npm run build (or point CONSOLE_DIR at a built console)'));
    await expect(absent.asset(['index-abc123.js'])).rejects.toThrow(DependencyUnavailableError);
  });

  it('looks in dist/console beside the built service by default', () => {
    expect(files().dir).toBe(defaultConsoleDir());
    expect(defaultConsoleDir()).toMatch(/[\\/]console$/);
  });
});
