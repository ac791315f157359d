import { Command } from 'commander';
import { registerFlushCommand } from './run/flush.command';
import { registerRunCommand } from './run/run.command';
import { registerRunnerCommand } from './runner/runner.command';
import { registerVerifyCommand } from './verify/verify.command';

/** Where the CLI writes; the process's streams in main, buffers in specs. */
export interface CliOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

export const processOutput: CliOutput = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/**
 * The `runtrail` command tree. It never exits the process itself (exitOverride): help,
 * version and usage errors surface as a CommanderError carrying the exit code, so that
 * the caller decides, and subcommands inherit both the output and the override.
 */
export function buildProgram(version: string, output: CliOutput = processOutput): Command {
  const program = new Command('runtrail')
    .description('Runtrail command line: the audit trail for automation runs')
    .usage('[options] [command]')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .helpCommand(true)
    .configureOutput({ writeOut: (text) => output.writeOut(text), writeErr: (text) => output.writeErr(text) })
    .showHelpAfterError('(run runtrail --help for usage)')
    .exitOverride()
    // Options before a subcommand are the program's, and `run` passes everything after
    // its command word to the command (passThroughOptions needs this).
    .enablePositionalOptions();
  // With subcommands and no root action, commander answers `runtrail` alone with the
  // help on stderr (exit 1) and an unknown word with "unknown command".
  registerRunCommand(program, version, output);
  registerFlushCommand(program, output);
  registerRunnerCommand(program, version, output);
  registerVerifyCommand(program, output);
  return program;
}
