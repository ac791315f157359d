import 'reflect-metadata';
import { JetStreamServer, connectJetStream } from '@runtrail/messaging';
import { createHttpApp, loadConfig } from '@runtrail/platform';
import { Logger } from 'nestjs-pino';
import { createProjectorModule } from './app.module';
import { ProjectorConfig } from './config/projector.config';

async function main(): Promise<void> {
  const config = loadConfig(ProjectorConfig);
  // HTTP here serves only /healthz, /readyz and /metrics; the work is the stream's handler.
  const app = await createHttpApp(createProjectorModule(config));
  await connectJetStream(app, app.get(JetStreamServer));
  await app.listen(config.PROJECTOR_PORT, '0.0.0.0');
  app.get(Logger).log(`projector listening on ${await app.getUrl()}`);
}

main().catch((err: unknown) => {
  // The message only: a start-up failure must not print a stack or a connection string.
  console.error(`projector failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
