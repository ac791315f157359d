import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { freePort } from '@runtrail/launcher';
import { deleteNamespace, dropDatabase, eventually, request, testEnv, uniqueName } from '@runtrail/testing';

/** `npm start` is `npm run build && node dist/tools/start.js`; this drives the second half. */
describe('npm start (tools/start.ts)', () => {
  const namespace = uniqueName('start');

  afterAll(async () => {
    await dropDatabase(namespace);
    await deleteNamespace(namespace);
  });

  it('starts the three services in the foreground, prints their URLs, and stops them all on SIGTERM', async () => {
    const ports = { INGEST_PORT: await freePort(), QUERY_PORT: await freePort(), PROJECTOR_PORT: await freePort() };
    const env = { ...testEnv(namespace, namespace, `root_${'k'.repeat(40)}`), ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    const child = spawn(process.execPath, [resolve(__dirname, '../../dist/tools/start.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));

    await eventually(async () => (out.includes('Runtrail is running') ? true : undefined), 60_000, 'the start banner');
    for (const port of Object.values(ports)) {
      expect(out).toContain(`http://127.0.0.1:${port}`);
      // The launcher's output explains a refused connection (a service that died after the banner).
      const ready = await request('GET', `http://127.0.0.1:${port}/readyz`).catch((error: unknown) => {
        throw new Error(`GET :${port}/readyz failed: ${String(error)}\n--- npm start output ---\n${out}`);
      });
      expect(ready.status).toBe(200);
    }

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    }
  }, 120_000);
});
