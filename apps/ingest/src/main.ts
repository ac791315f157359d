import 'reflect-metadata';
import { createHttpApp, loadConfig } from '@runtrail/platform';
import { Logger } from 'nestjs-pino';
import { INGEST_HTTP, createIngestModule } from './app.module';
import { IngestConfig } from './config/ingest.config';

async function main(): Promise<void> {
  const config = loadConfig(IngestConfig);
  const app = await createHttpApp(createIngestModule(config), {
    http: INGEST_HTTP,
    openApi: {
      title: 'Runtrail ingest gateway',
      description: 'Accepts audit events and action runs and stores them durably in JetStream.',
      version: '1',
    },
  });
  await app.listen(config.INGEST_PORT, '0.0.0.0');
  app.get(Logger).log(`ingest listening on ${await app.getUrl()}`);
}

main().catch((err: unknown) => {
  // The message only: a start-up failure must not print a stack or a connection string.
  console.error(`ingest failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
