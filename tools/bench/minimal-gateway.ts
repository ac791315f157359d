/**
 * The gateway baseline: the least an HTTP front of JetStream does per request, in a
 * process of its own. A Fastify handler takes the body as bytes (no parsing, no
 * validation, no key check, no Nest) and stores it with the ingest gateway's own publish
 * call, `js.publish(subject, data, { msgID, timeout })`, awaiting the PubAck before it
 * answers 202; the message id is the body's SHA-256, as the gateway derives its own from
 * the content. It publishes into a stream of its own namespace, made with the gateway's
 * stream configuration (`eventStreamConfig`), on the same subject layout
 * (`eventSubject`), so no projector reads what it stores.
 *
 * Env: NATS_URL, BENCH_GATEWAY_NAMESPACE, BENCH_GATEWAY_PORT. Prints `listening <url>` when ready.
 */
import { createHash } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { eventSubject } from '@runtrail/contracts';
import { eventStreamConfig } from '@runtrail/messaging';
import Fastify from 'fastify';

async function main(): Promise<void> {
  const namespace = process.env.BENCH_GATEWAY_NAMESPACE ?? '';
  const port = Number(process.env.BENCH_GATEWAY_PORT ?? '0');
  const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',') });
  const jsm = await jetstreamManager(nc);
  const config = eventStreamConfig({ namespace, maxAgeSeconds: 0, duplicateWindowSeconds: 120, replicas: 1 });
  await jsm.streams.add(config);
  const js = jetstream(nc);
  const subject = eventSubject(namespace, 'bench', 'audit');

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.get('/readyz', async () => ({ ok: true }));
  app.post('/v1/audit-events', async (req, reply) => {
    const data = req.body as Buffer;
    await js.publish(subject, data, { msgID: createHash('sha256').update(data).digest('base64url'), timeout: 5000 });
    return reply.code(202).send({ accepted: 1 });
  });
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address();
  process.stdout.write(`listening http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}\n`);

  const stop = async (): Promise<void> => {
    await app.close();
    await nc.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`minimal gateway failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
