import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEAP_LIMIT_MB, ServiceProcess, freePort, withHeapLimit } from '../src';

/**
 * A stand-in "ingest" in a temporary dist/ directory: a real process that serves
 * /readyz and records the signal it was stopped with.
 */
function fakeDist(behaviour: 'healthy' | 'crash' | 'ignores-sigterm' | 'prints-heap-limit'): string {
  const dist = mkdtempSync(join(tmpdir(), 'launcher-'));
  mkdirSync(join(dist, 'apps/ingest/src'), { recursive: true });
  const body = {
    healthy: `
      const http = require('node:http');
      const server = http.createServer((req, res) => res.writeHead(req.url === '/readyz' ? 200 : 404).end());
      server.listen(Number(process.env.INGEST_PORT), '127.0.0.1');
      process.on('SIGTERM', () => { console.log('got SIGTERM, draining'); server.close(() => process.exit(0)); });`,
    crash: `console.error('boom: bad config'); process.exit(3);`,
    'prints-heap-limit': `console.log('heap limit MiB ' + require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20);`,
    'ignores-sigterm': `
      require('node:http').createServer((q, s) => s.writeHead(200).end()).listen(Number(process.env.INGEST_PORT), '127.0.0.1');
      process.on('SIGTERM', () => console.log('ignoring SIGTERM'));`,
  }[behaviour];
  writeFileSync(join(dist, 'apps/ingest/src/main.js'), body);
  return dist;
}

describe('ServiceProcess', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  const service = async (behaviour: Parameters<typeof fakeDist>[0], env: NodeJS.ProcessEnv = {}) => {
    const distDir = fakeDist(behaviour);
    dirs.push(distDir);
    return new ServiceProcess({ name: 'ingest', port: await freePort(), env: { PATH: process.env.PATH, ...env }, distDir, output: 'collect' });
  };

  /** The heap limit the fake service's V8 reports, in MiB (old space plus the young generation). */
  const heapLimitOf = async (s: ServiceProcess): Promise<number> => {
    s.start();
    expect(await s.exited()).toBe(0);
    return Number(/heap limit MiB ([0-9.]+)/.exec(s.output)?.[1]);
  };

  it('starts a service with its heap limit', async () => {
    const limit = await heapLimitOf(await service('prints-heap-limit'));
    // The young generation comes on top of the old space's limit.
    expect(limit).toBeGreaterThanOrEqual(HEAP_LIMIT_MB);
    expect(limit).toBeLessThan(HEAP_LIMIT_MB + 100);
  });

  it("keeps the operator's own heap limit and other options", async () => {
    const limit = await heapLimitOf(await service('prints-heap-limit', { NODE_OPTIONS: '--max-old-space-size=1000 --no-warnings' }));
    expect(limit).toBeGreaterThanOrEqual(1000);
    expect(withHeapLimit('--no-warnings')).toBe(`--no-warnings --max-old-space-size=${HEAP_LIMIT_MB}`);
    expect(withHeapLimit('--max-old-space-size 900')).toBe('--max-old-space-size 900');
  });

  it('waits for /readyz, passes the port, and stops with SIGTERM', async () => {
    const s = await service('healthy');
    s.start();
    await s.waitReady(10_000);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(await s.stop()).toBe(0);
    expect(s.output).toContain('got SIGTERM, draining');
  });

  it('reports a process that exits before it is ready, with what it printed', async () => {
    const s = await service('crash');
    s.start();
    await expect(s.waitReady(10_000)).rejects.toThrow(/ingest exited with 3: boom: bad config/);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const s = await service('ignores-sigterm');
    s.start();
    await s.waitReady(10_000);
    const started = Date.now();
    expect(await s.stop('SIGTERM', 300)).toBeNull(); // ended by SIGKILL: no exit code
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
