import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { constants } from 'node:os';

/** How a command ended, as a shell would report it. */
export interface CommandOutcome {
  exitCode: number;
  /** Set when the command could not be started at all (exit code 127). */
  spawnError?: string;
  /** The signal that ended the command, when one did (exitCode is then 128 + its number). */
  signal?: NodeJS.Signals;
}

/** Exit code of a command that could not be started (ENOENT, EACCES, ...), as a shell says. */
export const SPAWN_FAILED_EXIT_CODE = 127;

/**
 * The child's exit code; killed by a signal, 128 + the signal's number (SIGTERM: 143,
 * SIGKILL: 137), as a shell reports it.
 */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  if (signal !== null) {
    const number = (constants.signals as Partial<Record<string, number>>)[signal];
    if (number !== undefined) return 128 + number;
  }
  // Neither: Node documents that one of the two is always set; be a failure regardless.
  return 1;
}

/** One argv word as a reader would copy it into a shell: quoted only when it needs it. */
function displayWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : JSON.stringify(word);
}

/** The vector for a log line, e.g. `polycrate run nginx deploy`. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map(displayWord).join(' ');
}

export interface RunningCommand {
  readonly done: Promise<CommandOutcome>;
  /** Sends a signal to the child if it still runs. */
  kill(signal?: NodeJS.Signals): void;
}

type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/**
 * Starts `argv` as an argument vector, never through a shell, with the agent's standard
 * streams (its output is the command's output). `done` never rejects.
 */
export function startCommand(argv: readonly string[], spawnFn: SpawnFn = spawn): RunningCommand {
  let child: ChildProcess | undefined;
  let finished = false;
  const done = new Promise<CommandOutcome>((resolve) => {
    const settle = (outcome: CommandOutcome) => {
      if (finished) return;
      finished = true;
      resolve(outcome);
    };
    const spawnFailed = (error: unknown) =>
      settle({ exitCode: SPAWN_FAILED_EXIT_CODE, spawnError: error instanceof Error ? error.message : String(error) });
    try {
      child = spawnFn(argv[0], argv.slice(1), { stdio: 'inherit', shell: false });
    } catch (error) {
      // Synchronous refusals (an argument with a NUL byte, ...).
      spawnFailed(error);
      return;
    }
    // 'error' without a pid: it never started. With a pid it is a failed kill(), which
    // changes nothing about how the command ends.
    child.once('error', (error) => {
      if (child?.pid === undefined) spawnFailed(error);
    });
    child.once('exit', (code, signal) => settle({ exitCode: exitCodeOf(code, signal), ...(signal !== null ? { signal } : {}) }));
  });
  return {
    done,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!finished && child?.pid !== undefined) child.kill(signal);
    },
  };
}
