import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { createHttpApp, loadConfig } from '@runtrail/platform';
import { Logger } from 'nestjs-pino';
import { createQueryModule } from './app.module';
import { QueryConfig } from './shared/config/query.config';

/**
 * Let the heap grow to twice what survives a full collection before the next one. A
 * download decodes a few MB of Postgres' text per chunk; with V8's default growth the
 * service collected its whole heap every two chunks (75 times, 2.1 s of its 5.4 s of CPU,
 * per 1M-record download). Now about 20 times: 2.5 s of CPU, 1.2x the records per second
 * at the same peak RSS (docs/performance.md). The heap limit still bounds it. V8 reads the
 * factor at each collection, so setting it here, before any load, is enough; a command-line
 * flag would be needed in every way the service is started, and NODE_OPTIONS refuses it.
 */
setFlagsFromString('--heap-growing-percent=100');

async function main(): Promise<void> {
  const config = loadConfig(QueryConfig);
  const app = await createHttpApp(createQueryModule(config), {
    openApi: {
      title: 'Runtrail query service',
      description: 'The audit timeline, action runs, keys, runners and re-triggers.',
      version: '1',
    },
  });
  await app.listen(config.QUERY_PORT, '0.0.0.0');
  app.get(Logger).log(`query listening on ${await app.getUrl()}`);
}

main().catch((err: unknown) => {
  // The message only: a start-up failure must not print a stack or a connection string.
  console.error(`query failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
