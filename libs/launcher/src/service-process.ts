import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { basename, resolve } from 'node:path';
import { withHeapLimit } from './heap-limits';

export type ServiceName = 'ingest' | 'projector' | 'query';

export const SERVICE_NAMES: readonly ServiceName[] = ['ingest', 'projector', 'query'];

export const PORT_VARIABLE: Record<ServiceName, string> = {
  ingest: 'INGEST_PORT',
  projector: 'PROJECTOR_PORT',
  query: 'QUERY_PORT',
};

export interface ServiceProcessOptions {
  name: ServiceName;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Where the compiled services are (`dist` at the repository root by default). */
  distDir?: string;
  /** Where the child's stdout/stderr go: inherited (npm start) or collected (tests). */
  output?: 'inherit' | 'collect' | 'ignore';
}

/** `dist/` whether this file runs compiled (dist/libs/launcher/src) or from source (jest). */
export function defaultDistDir(): string {
  const up = resolve(__dirname, '../../..');
  return basename(up) === 'dist' ? up : resolve(up, 'dist');
}

/** One service as a child process, started from the compiled output. */
export class ServiceProcess {
  private child?: ChildProcess;
  private collected: string[] = [];

  constructor(private readonly options: ServiceProcessOptions) {}

  get name(): ServiceName {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What the process printed so far (with output 'collect'). */
  get output(): string {
    return this.collected.join('');
  }

  start(): void {
    const dist = this.options.distDir ?? defaultDistDir();
    const main = resolve(dist, 'apps', this.options.name, 'src', 'main.js');
    const output = this.options.output ?? 'inherit';
    this.collected = [];
    this.child = spawn(process.execPath, [main], {
      env: {
        ...this.options.env,
        [PORT_VARIABLE[this.options.name]]: String(this.options.port),
        NODE_OPTIONS: withHeapLimit(this.options.env.NODE_OPTIONS),
      },
      stdio: output === 'inherit' ? 'inherit' : ['ignore', output === 'collect' ? 'pipe' : 'ignore', output === 'collect' ? 'pipe' : 'ignore'],
    });
    if (output === 'collect') {
      this.child.stdout?.on('data', (d: Buffer) => this.collected.push(d.toString()));
      this.child.stderr?.on('data', (d: Buffer) => this.collected.push(d.toString()));
    }
  }

  /** Resolves when /readyz answers 200; rejects if the process exits or time runs out. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.child || this.child.exitCode !== null) {
        throw new Error(`${this.name} exited with ${this.child?.exitCode}: ${this.output.slice(-2000)}`);
      }
      try {
        const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms: ${this.output.slice(-2000)}`);
  }

  /** Sends a signal and waits for the exit (SIGKILL after `graceMs`). Resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const [code] = (await exited) as [number | null];
    clearTimeout(timer);
    return code;
  }

  /** Waits until the process has ended by itself (or was stopped). */
  async exited(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const [code] = (await once(child, 'exit')) as [number | null];
    return code;
  }
}
