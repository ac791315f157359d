// @vitest-environment node
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkJsBudget, inlineCodeIn } from './bundle-budget';

const DIST = fileURLToPath(new URL('../../../dist/console', import.meta.url));
const built = existsSync(`${DIST}/index.html`);

/**
 * The console as `npm run build` left it (npm test builds before it tests): under its
 * JavaScript budget, with no inline code, and nothing loaded from another host. Without a
 * build (a lone `nx test console`) there is nothing to check; the build checks the same.
 */
describe.skipIf(!built)('dist/console', () => {
  const assets = built ? readdirSync(`${DIST}/assets`) : [];
  const html = built ? readFileSync(`${DIST}/index.html`, 'utf8') : '';

  it('keeps its JavaScript under 250 KB gzipped', () => {
    const report = checkJsBudget(assets.map((fileName) => ({ fileName, source: readFileSync(`${DIST}/assets/${fileName}`) })));
    console.log(report.lines.at(-1));
    expect(report.ok).toBe(true);
    expect(assets.some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('has no inline script or style, and loads only its own hashed assets', () => {
    expect(inlineCodeIn(html)).toEqual([]);
    const urls = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls.filter((u) => u !== 'data:,' && !/^\/assets\/[\w.-]+-[\w-]{8}\.(js|css)$/.test(u ?? ''))).toEqual([]);
    expect(urls.some((u) => u?.endsWith('.js'))).toBe(true);
  });
});
