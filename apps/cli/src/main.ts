import { runCli } from './run-cli';

// exitCode, not process.exit(): let stdout and stderr drain first.
void runCli(process.argv).then((code) => {
  process.exitCode = code;
  // Done: nothing left over (a request given up on at its deadline, say) may hold the
  // process, and with it the automation, up. Unref'd: a clean exit does not wait for it.
  setTimeout(() => process.exit(code), 250).unref();
});
