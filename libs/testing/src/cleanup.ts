import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import { Client } from 'pg';
import { NATS_URL, PG_ADMIN_URL } from './names';

/** Drops a test database, disconnecting whatever still uses it. */
export async function dropDatabase(name: string, adminUrl = PG_ADMIN_URL): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Deletes every stream (and so every KV bucket and consumer) of a test namespace. */
export async function deleteNamespace(namespace: string, natsUrl = NATS_URL): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      // the event stream and every KV bucket of the namespace (auth, runners, commands, …)
      if (name.startsWith(`${namespace}-`) || name.startsWith(`KV_${namespace}-`)) await jsm.streams.delete(name);
    }
  } finally {
    await nc.close();
  }
}

/** The state of a durable consumer of a namespace's event stream (the projector's by default). */
export async function consumerInfo(namespace: string, durable = `${namespace}-projector`, natsUrl = NATS_URL): Promise<ConsumerInfo> {
  const nc = await connect({ servers: natsUrl });
  try {
    return await (await jetstreamManager(nc)).consumers.info(`${namespace}-events`, durable);
  } finally {
    await nc.close();
  }
}
