import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root package.json is named this; apps/cli/package.json is not. */
const ROOT_PACKAGE_NAME = 'runtrail';

/**
 * The version of the checkout the CLI runs from: the first package.json named `runtrail`
 * above `from`. Walking up works the same from the compiled file (dist/apps/cli/src) and
 * from the sources under jest (apps/cli/src, past apps/cli/package.json).
 */
export function runtrailVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === ROOT_PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) {
      throw new Error(`no package.json named "${ROOT_PACKAGE_NAME}" with a version above ${from}`);
    }
  }
}
