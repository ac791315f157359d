import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A console build in a temporary folder, for a stack started with `CONSOLE_DIR` pointing at it. */
export interface FakeConsole {
  dir: string;
  /** The content of its `index.html`. */
  indexHtml: string;
  /** Its one script, under `/assets/`. */
  scriptPath: string;
  script: string;
  remove(): void;
}

/**
 * Writes the smallest console build (`index.html` and one hashed script under `assets/`),
 * so the query service's console routes answer whether or not the real console was
 * built: a spec about them does not depend on `npm run build` having built it.
 */
export function writeFakeConsole(): FakeConsole {
  const dir = mkdtempSync(join(tmpdir(), 'runtrail-console-'));
  const script = 'document.body.dataset.console = "fake";';
  const scriptPath = '/assets/index-3f9a1c.js';
  const indexHtml = `<!doctype html><html><head><script type="module" src="${scriptPath}"></script></head><body></body></html>`;
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, scriptPath), script);
  return { dir, indexHtml, scriptPath, script, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
