import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The installed binary as a user runs it: npm's link in node_modules/.bin, the shim in
// apps/cli/bin, and the compiled CLI in dist/ (the root `npm run build`, which `npm test`
// runs before the test targets).
const repo = resolve(__dirname, '../../..');
const bin = join(repo, 'apps/cli/bin/runtrail.js');
const linked = join(repo, 'node_modules/.bin/runtrail');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

describe('the runtrail binary', () => {
  beforeAll(() => {
    if (!existsSync(join(repo, 'dist/apps/cli/src/main.js'))) {
      throw new Error('dist/apps/cli/src/main.js is missing: run npm run build first');
    }
  });

  it('is an executable node script that npm linked', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect(existsSync(linked)).toBe(true);
  });

  it('prints the version through node_modules/.bin/runtrail', () => {
    expect(execFileSync(linked, ['--version'], { cwd: repo, encoding: 'utf8' })).toBe(`${version}\n`);
    expect(version).toBe('0.1.0');
  });

  // npm 11's npx rewrites `--no` to `--no-yes`, which its own pre-scan does not know as a
  // switch, so it takes the next word as that option's value: in `npx --no runtrail --help`
  // npm answers `--help` (and `--version`) itself. A positional first word, or `--`, works.
  it.each([
    [['--no', 'runtrail', 'help']],
    [['--no', '--', 'runtrail', '--help']],
  ])('lists its usage through npx %j', (args) => {
    const out = execFileSync('npx', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/^Usage: runtrail \[options\] \[command\]/);
    expect(out).toContain('--version');
    expect(out).toContain('Commands:');
  });

  it('prints the version through npx --no -- runtrail --version', () => {
    const out = execFileSync('npx', ['--no', '--', 'runtrail', '--version'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe(`${version}\n`);
  });

  it('exits 1 with a usage error', () => {
    const result = spawnSync(linked, ['--no-such-option'], { cwd: repo, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown option '--no-such-option'");
  });

  describe('before the build', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'runtrail-bin-'));
    });

    afterEach(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('says so in one line on stderr and exits 1', () => {
      // Same layout as the checkout, without dist/.
      mkdirSync(join(dir, 'apps/cli/bin'), { recursive: true });
      copyFileSync(bin, join(dir, 'apps/cli/bin/runtrail.js'));
      const result = spawnSync(process.execPath, [join(dir, 'apps/cli/bin/runtrail.js'), '--version'], {
        encoding: 'utf8',
      });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe('runtrail: not built yet; run npm run build (or npm start) first\n');
    });
  });
});
