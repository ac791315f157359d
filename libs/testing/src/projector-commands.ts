import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { defaultDistDir } from '@runtrail/launcher';
import type { TestStack } from './test-stack';

/** What one of the projector's operator commands printed, and how it ended. */
export interface CommandAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

const ENTRIES = {
  rebuild: 'apps/projector/src/rebuild/main.js',
  'dead-letters': 'apps/projector/src/dead-letters/main.js',
} as const;

/** Runs `npm run rebuild` or `npm run dead-letters -- ARGS` (their compiled entries) against a stack, with its settings. */
export function projectorCommand(stack: TestStack, command: keyof typeof ENTRIES, ...args: string[]): Promise<CommandAnswer> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(defaultDistDir(), ENTRIES[command]), ...args], { env: stack.env, timeout: 180_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}
