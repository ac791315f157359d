import 'reflect-metadata';
import { loadConfig } from '@runtrail/platform';
import pino from 'pino';
import { ProjectorConfig } from '../config/projector.config';
import { rebuildTables } from './rebuild-tables';

/**
 * `npm run rebuild` (docs/reliability.md#rebuild): replays the stream from sequence 1 into
 * fresh tables and swaps them in while the services keep running. Takes the projector's
 * settings from the environment. Exit 0 when swapped, 1 when not (nothing changed then).
 */
async function main(): Promise<void> {
  const config = loadConfig(ProjectorConfig);
  const log = pino({ name: 'runtrail-rebuild', level: config.LOG_LEVEL });
  const report = await rebuildTables(config, log);
  log.info(report, 'rebuild: swapped in');
  out(
    `rebuilt the tables from the stream up to sequence ${report.lastSeq} in ${report.seconds} s; ` +
      `${report.checkpointsChecked} signed checkpoint(s) reproduced; the replaced tables are in schema ${report.replacedSchema} ` +
      `(drop it with: DROP SCHEMA ${report.replacedSchema} CASCADE)`,
  );
}

/** The command's answer, one line on stdout (its logs are JSON on stdout too, at LOG_LEVEL). */
function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

main().catch((err: unknown) => {
  // The message only: never a stack or a connection string.
  process.stderr.write(`rebuild failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
