/**
 * `npm start`: ingest, projector and query in the foreground. Prints their URLs and
 * stops all three on Ctrl-C / SIGTERM. Configuration is the services' own
 * environment (README "Configuration").
 */
import { Stack } from '@runtrail/launcher';

function port(name: string, fallback: number): number {
  const v = process.env[name];
  return v ? Number(v) : fallback;
}

async function main(): Promise<void> {
  const stack = new Stack({
    env: process.env,
    ports: { ingest: port('INGEST_PORT', 8080), projector: port('PROJECTOR_PORT', 8082), query: port('QUERY_PORT', 8081) },
    output: 'inherit',
  });
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nRuntrail: ${signal} received, stopping (in-flight work is finished first)...`);
    await stack.stop('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    await stack.start();
  } catch (err) {
    console.error(`Runtrail failed to start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    await stack.stop('SIGTERM');
    process.exit(1);
  }
  const urls = stack.urls();
  console.log(
    [
      '',
      'Runtrail is running:',
      `  ingest     ${urls.ingest}   (POST /v1/audit-events, docs at ${urls.ingest}/docs)`,
      `  query      ${urls.query}   (GET /v1/audit, docs at ${urls.query}/docs)`,
      `  projector  ${urls.projector}   (/healthz, /readyz, /metrics)`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  // If a service dies on its own, stop the others rather than run half a stack.
  const first = await Promise.race(
    Object.values(stack.services).map((s) => s.exited().then((code) => ({ name: s.name, code }))),
  );
  if (!stopping) {
    console.error(`Runtrail: ${first.name} exited with code ${first.code}; stopping the others.`);
    await stack.stop('SIGTERM');
    process.exit(1);
  }
}

void main();
