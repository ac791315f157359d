import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAP_LIMIT_OPTION, SERVICE_NAMES } from '@runtrail/launcher';
import { repoRoot } from '@runtrail/testing';
import { parse } from 'yaml';

/** docker-compose.yml cannot run here (no Docker engine): what `npm start` does, it must say the same way. */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(repoRoot(), 'docker-compose.yml'), 'utf8')) as { services: Record<string, { command?: string[] }> };

  it.each(SERVICE_NAMES.map((name) => [name]))('runs %s from dist/ with the heap limit npm start gives it', (name) => {
    expect(compose.services[name]?.command).toEqual(['node', HEAP_LIMIT_OPTION, `dist/apps/${name}/src/main.js`]);
  });
});
