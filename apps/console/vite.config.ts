import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { bundleBudget } from './build/bundle-budget.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react(), bundleBudget()],
  // The browser-safe libs the console may import (ADR 0013), bundled from source; the same
  // paths as tsconfig.json's. Vitest resolves through this too.
  resolve: { alias: { '@runtrail/cron': here('../../libs/cron/src/index.ts') } },
  build: {
    // Served by the query service from dist/console (index.html and hashed assets/).
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    // No modulepreload polyfill: every browser the build targets has modulepreload, and
    // nothing of Vite's may end up inline (the CSP is script-src 'self'; bundleBudget checks
    // index.html for inline scripts and styles on every build).
    modulePreload: { polyfill: false },
    // Nothing becomes a data: URL; every asset is a file of its own under 'self'.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    // `npx nx serve console`: the API of a query service started separately (README).
    proxy: { '/v1': process.env.RUNTRAIL_QUERY_URL ?? 'http://127.0.0.1:8081' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.{ts,tsx}', 'build/**/*.spec.ts'],
    setupFiles: ['src/test/setup.ts'],
    restoreMocks: true,
    unstubGlobals: true,
  },
});
