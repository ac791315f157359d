import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestStack, type TestStack } from '@runtrail/testing';

/**
 * The console (apps/console) is typed from a copy of the query service's OpenAPI document,
 * generated into apps/console/src/api/schema.d.ts. This spec generates it again from a
 * running service and fails when the committed copy differs, so an API change cannot leave
 * the console typed against an API that no longer exists.
 *
 * The generator is tools/console-api-types.ts (openapi-typescript's programmatic API), the
 * one `npm run console:api-types` uses, run compiled in a child process: openapi-typescript
 * loads ES-only modules, which Jest cannot require on Node 20.
 */

const ROOT = join(__dirname, '..', '..');
const SCHEMA_FILE = 'apps/console/src/api/schema.d.ts';
const GENERATOR = join(ROOT, 'dist', 'tools', 'console-api-types.js');

/** The first line that differs, with its number, for a readable failure. */
function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const i = a.findIndex((line, n) => line !== b[n]);
  const at = i === -1 ? a.length : i;
  return `line ${at + 1}: the service gives ${JSON.stringify(a[at] ?? '<end of file>')}, the file has ${JSON.stringify(b[at] ?? '<end of file>')}`;
}

describe('console API types', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('console_types');
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it(`${SCHEMA_FILE} is what the running query service's /openapi.json describes`, async () => {
    expect(existsSync(GENERATOR)).toBe(true); // npm run build first
    const { stdout: generated } = await promisify(execFile)(process.execPath, [GENERATOR, '--from', `${stack.queryUrl}/openapi.json`], {
      maxBuffer: 32 * 1024 * 1024,
    });
    const committed = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
    if (generated !== committed) {
      throw new Error(
        `${SCHEMA_FILE} is out of date with the query service's API (${firstDifference(generated, committed)}). ` +
          'Run `npm run console:api-types` and commit the file (then fix whatever in the console no longer type-checks).',
      );
    }
  });
});
