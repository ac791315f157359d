import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { freePort } from '@runtrail/testing';
import type { LoadJob, LoadResult } from './load-generator';

/** The bench's own child processes, so an interrupt or a failure can stop every one of them. */
const children = new Set<ChildProcess>();
let stopping = false;

/**
 * True once the bench is being stopped: a phase that is still unwinding must start
 * nothing (no load, no gateway, no service) that the clean-up has already gone past.
 */
export function isStopping(): boolean {
  return stopping;
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function spawnTracked(args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  if (stopping) throw new Error('the bench is stopping');
  return track(spawn(process.execPath, args, options));
}

/** Marks the bench as stopping and kills whatever it started that still runs (the services are the stack's). */
export function killBenchProcesses(): void {
  stopping = true;
  for (const child of children) child.kill('SIGKILL');
}

/** Compiled siblings: this file runs from dist/tools/bench. */
const script = (name: string): string => resolve(__dirname, `${name}.js`);

/** Runs one load job in a fresh process and resolves with what it measured. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = spawnTracked([script('load-generator'), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !line.startsWith('{')) throw new Error(`load generator exited with ${code}: ${err.slice(-1000) || out.slice(-1000)}`);
  return JSON.parse(line) as LoadResult;
}

export interface MinimalGateway {
  url: string;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Starts minimal-gateway.js and resolves once it listens. */
export async function startMinimalGateway(natsUrl: string, namespace: string): Promise<MinimalGateway> {
  const port = await freePort();
  const child = spawnTracked([script('minimal-gateway')], {
    env: { PATH: process.env.PATH, NATS_URL: natsUrl, BENCH_GATEWAY_NAMESPACE: namespace, BENCH_GATEWAY_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`minimal gateway did not start within 30 s: ${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`minimal gateway exited with ${code}: ${err}`));
    });
  });
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
