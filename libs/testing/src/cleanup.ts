import { connect } from '@nats-io/transport-node';
import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import { STREAM_PARTITIONS, partitionConsumerName, projectorConsumerName } from '@runtrail/contracts';
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

/** The state of a durable consumer of a namespace's event stream. */
export async function consumerInfo(namespace: string, durable: string, natsUrl = NATS_URL): Promise<ConsumerInfo> {
  const nc = await connect({ servers: natsUrl.split(',') });
  try {
    return await (await jetstreamManager(nc)).consumers.info(`${namespace}-events`, durable);
  } finally {
    await nc.close();
  }
}

/** The states of the projector's partition consumers (ADR 0019), every one of them; rejects while one is missing. */
export async function projectorConsumers(namespace: string, natsUrl = NATS_URL): Promise<ConsumerInfo[]> {
  const nc = await connect({ servers: natsUrl.split(',') });
  try {
    const jsm = await jetstreamManager(nc);
    const consumer = projectorConsumerName(namespace);
    return await Promise.all(STREAM_PARTITIONS.map((p) => jsm.consumers.info(`${namespace}-events`, partitionConsumerName(consumer, p))));
  } finally {
    await nc.close();
  }
}
