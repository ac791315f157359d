import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The console's whole JavaScript, gzipped, may not exceed this (console spec, "Layout"). */
export const JS_BUDGET_GZIP_BYTES = 250 * 1024;

export interface BuiltFile {
  fileName: string;
  source: string | Uint8Array;
}

export interface BudgetReport {
  ok: boolean;
  totalGzipBytes: number;
  lines: string[];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Gzipped size of every JavaScript file of a build, and whether the total fits the budget. */
export function checkJsBudget(files: BuiltFile[], budgetBytes = JS_BUDGET_GZIP_BYTES): BudgetReport {
  const sizes = files
    .filter((f) => f.fileName.endsWith('.js'))
    .map((f) => ({ fileName: f.fileName, gzip: gzipSync(f.source, { level: 9 }).byteLength }))
    .sort((a, b) => b.gzip - a.gzip);
  const totalGzipBytes = sizes.reduce((sum, s) => sum + s.gzip, 0);
  const ok = totalGzipBytes <= budgetBytes;
  return {
    ok,
    totalGzipBytes,
    lines: [
      ...sizes.map((s) => `  ${s.fileName}  ${kb(s.gzip)} gzipped`),
      `console JavaScript: ${kb(totalGzipBytes)} gzipped in total (budget ${kb(budgetBytes)})${ok ? '' : ': OVER BUDGET'}`,
    ],
  };
}

/**
 * Where the HTML would break the console's Content-Security-Policy (`script-src 'self';
 * style-src 'self'`, no 'unsafe-inline'): inline scripts, style elements, style attributes.
 */
export function inlineCodeIn(html: string): string[] {
  const problems: string[] = [];
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    if (!/\bsrc\s*=/.test(tag)) problems.push(`inline script: ${tag}`);
  }
  if (/<style\b/i.test(html)) problems.push('a <style> element');
  if (/\sstyle\s*=/i.test(html)) problems.push('a style attribute');
  if (/\son[a-z]+\s*=/i.test(html)) problems.push('an inline event handler');
  return problems;
}

/** Prints the gzipped JavaScript size at build and fails the build above the budget or on inline code. */
export function bundleBudget(budgetBytes = JS_BUDGET_GZIP_BYTES): Plugin {
  return {
    name: 'runtrail-console-budget',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const files = Object.values(bundle).map((item) =>
        item.type === 'chunk' ? { fileName: item.fileName, source: item.code } : { fileName: item.fileName, source: item.source },
      );
      const report = checkJsBudget(files, budgetBytes);
      console.log(report.lines.join('\n'));
      if (!report.ok) this.error(`the console's JavaScript is over its budget of ${kb(budgetBytes)} gzipped`);
      for (const file of files.filter((f) => f.fileName.endsWith('.html'))) {
        const html = typeof file.source === 'string' ? file.source : new TextDecoder().decode(file.source);
        const problems = inlineCodeIn(html);
        if (problems.length > 0) this.error(`${file.fileName} would break the CSP: ${problems.join('; ')}`);
      }
    },
  };
}
