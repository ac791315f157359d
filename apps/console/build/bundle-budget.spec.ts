// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkJsBudget, inlineCodeIn } from './bundle-budget';
import { randomBytes } from 'node:crypto';

describe('checkJsBudget', () => {
  it('sums the gzipped size of the JavaScript files only', () => {
    const report = checkJsBudget([
      { fileName: 'assets/a.js', source: 'x'.repeat(10_000) },
      { fileName: 'assets/a.css', source: randomBytes(50_000) },
    ]);
    expect(report.ok).toBe(true);
    expect(report.totalGzipBytes).toBeLessThan(200);
    expect(report.lines.at(-1)).toMatch(/^console JavaScript: 0\.\d KB gzipped in total \(budget 250\.0 KB\)$/);
  });

  it('fails above the budget', () => {
    // random bytes do not compress: 260 KB stay about 260 KB gzipped
    const report = checkJsBudget([{ fileName: 'assets/big.js', source: randomBytes(260 * 1024) }]);
    expect(report.ok).toBe(false);
    expect(report.lines.at(-1)).toMatch(/OVER BUDGET$/);
  });
});

describe('inlineCodeIn', () => {
  it('accepts external scripts and stylesheets', () => {
    const html = '<script type="module" crossorigin src="/assets/index-a1.js"></script><link rel="stylesheet" href="/assets/index-b2.css">';
    expect(inlineCodeIn(html)).toEqual([]);
  });

  it('finds inline scripts, style elements, style attributes and event handlers', () => {
    expect(inlineCodeIn('<script>alert(1)</script>')).toHaveLength(1);
    expect(inlineCodeIn('<style>a{}</style>')).toEqual(['a <style> element']);
    expect(inlineCodeIn('<div style="color:red">')).toEqual(['a style attribute']);
    expect(inlineCodeIn('<body onload="x()">')).toEqual(['an inline event handler']);
  });
});
