import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, type TestStack } from '@runtrail/testing';

/**
 * A real `runtrail runner` agent (the compiled CLI from `npm run build`), as an operator
 * starts it, serving one runner's re-trigger commands. Its command is node exiting 0, so a
 * re-triggered run succeeds.
 */
export class RunnerAgent {
  stderr = '';
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.resume();
    child.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = once(child, 'exit');
  }

  static start(t: TestStack, token: string): RunnerAgent {
    const main = join(repoRoot(), 'dist/apps/cli/src/main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
    const exec = `'${process.execPath}' -e 'process.exit(0)' {block} {action} {run_id}`;
    const child = spawn(process.execPath, [main, 'runner', '--token', token, '--exec', exec], {
      env: {
        PATH: process.env.PATH,
        NATS_URL: t.env.NATS_URL,
        RUNTRAIL_INGEST_URL: t.ingestUrl,
        RUNTRAIL_QUERY_URL: t.queryUrl,
        RUNTRAIL_NAMESPACE: t.namespace,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new RunnerAgent(child);
  }

  /** SIGTERM (the agent says it is offline and exits), and wait for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}
