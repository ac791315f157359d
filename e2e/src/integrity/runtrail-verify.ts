import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const CLI = resolve(__dirname, '../../../dist/apps/cli/src/main.js');

export interface CliAnswer {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `runtrail verify` with the given arguments, as an auditor would; never throws for a non-zero exit. */
export async function runtrailVerify(args: string[]): Promise<CliAnswer> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, 'verify', ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
