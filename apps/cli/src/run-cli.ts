import { CommanderError } from 'commander';
import { CliExit } from './cli-exit';
import { runtrailVersion } from './package-version';
import { buildProgram, processOutput, type CliOutput } from './program';

/** Runs the CLI on `argv` (as process.argv: node, script, args...) and resolves to the exit code. */
export async function runCli(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  try {
    await buildProgram(runtrailVersion(), output).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError || error instanceof CliExit) return error.exitCode;
    output.writeErr(`runtrail: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
