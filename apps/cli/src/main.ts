import { runCli } from './run-cli';

// exitCode, not process.exit(): let stdout and stderr drain first.
void runCli(process.argv).then((code) => {
  process.exitCode = code;
});
