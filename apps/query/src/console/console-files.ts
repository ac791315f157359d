import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { DependencyUnavailableError, NotFoundError } from '@runtrail/platform';
import { QueryConfig } from '../shared/config/query.config';

/**
 * Where `npm run build` puts the console: `dist/console`, four levels above this file
 * once built (`dist/apps/query/src/console/`).
 */
export function defaultConsoleDir(): string {
  return resolve(__dirname, '../../../../console');
}

/** One file of the console, and how it may be cached. */
export interface ConsoleFile {
  body: Buffer | Readable;
  type: string;
  cache: 'page' | 'asset';
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** A path segment of a built file: no `..`, no hidden files, nothing a path could turn into another folder. */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;

/**
 * The console's built files: `index.html` for every console route, and the hashed files
 * under `assets/`. Read on each request, so a console built while the service runs is
 * served at once; a console not built at all is a 503 that says how to build it.
 */
@Injectable()
export class ConsoleFiles {
  readonly dir: string;

  constructor(@Inject(QueryConfig) config: QueryConfig) {
    this.dir = config.CONSOLE_DIR ? resolve(config.CONSOLE_DIR) : defaultConsoleDir();
  }

  async page(): Promise<ConsoleFile> {
    const body = await readFile(join(this.dir, 'index.html')).catch(() => {
      throw this.notBuilt();
    });
    return { body, type: 'text/html; charset=utf-8', cache: 'page' };
  }

  /** A file under `assets/`, named by its path segments; anything else is 404. */
  async asset(segments: readonly string[]): Promise<ConsoleFile> {
    const path = segments.join('/');
    const missing = new NotFoundError(`no console file assets/${segments.every((s) => SEGMENT.test(s)) ? path : '…'}`);
    if (segments.length === 0 || segments.length > 8 || !segments.every((s) => SEGMENT.test(s))) throw missing;
    const file = join(this.dir, 'assets', ...segments);
    const found = await stat(file).catch(() => undefined);
    if (!found?.isFile()) {
      // Tell a console that was never built from a file it does not have.
      if (!(await stat(join(this.dir, 'index.html')).catch(() => undefined))) throw this.notBuilt();
      throw missing;
    }
    return { body: createReadStream(file), type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', cache: 'asset' };
  }

  private notBuilt(): DependencyUnavailableError {
    // The folder is not named: a client has no business knowing the server's paths.
    return new DependencyUnavailableError('the console is not built: run npm run build (or point CONSOLE_DIR at a built console)');
  }
}
