import 'reflect-metadata';
import { createHttpApp, loadConfig } from '@runtrail/platform';
import { Logger } from 'nestjs-pino';
import { createQueryModule } from './app.module';
import { QueryConfig } from './shared/config/query.config';

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
