/**
 * Ends a command with an exit code once it has said what it had to say: runCli turns it
 * into the code without printing anything more (and never calls process.exit).
 */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'CliExit';
  }
}
