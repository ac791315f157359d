import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runtrailVersion } from './package-version';

describe('runtrailVersion', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runtrail-version-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (path: string, content: object) => {
    mkdirSync(join(dir, path), { recursive: true });
    writeFileSync(join(dir, path, 'package.json'), JSON.stringify(content));
  };

  it('is the root package.json version when run from the sources', () => {
    const root = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(runtrailVersion()).toBe(root.version);
  });

  it('walks up past other package.json files to the one named runtrail', () => {
    write('', { name: 'runtrail', version: '3.2.1' });
    write('apps/cli', { name: 'runtrail-cli', version: '0.0.0' });
    mkdirSync(join(dir, 'dist/apps/cli/src'), { recursive: true });
    expect(runtrailVersion(join(dir, 'dist/apps/cli/src'))).toBe('3.2.1');
    expect(runtrailVersion(join(dir, 'apps/cli'))).toBe('3.2.1');
  });

  it('throws when there is none', () => {
    write('apps/cli', { name: 'runtrail-cli', version: '0.0.0' });
    expect(() => runtrailVersion(join(dir, 'apps/cli'))).toThrow(/no package.json named "runtrail"/);
  });
});
