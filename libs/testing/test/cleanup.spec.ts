import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { NATS_URL, deleteNamespace, uniqueName } from '../src';

/** Test runs share one NATS server: what a run leaves behind piles up for every later one. */
describe('deleteNamespace', () => {
  it('removes the namespace’s stream and every KV bucket of it, and nothing of another namespace', async () => {
    const mine = uniqueName('cleanme');
    const other = uniqueName('keepme');
    const nc = await connect({ servers: NATS_URL });
    try {
      const jsm = await jetstreamManager(nc);
      for (const ns of [mine, other]) {
        await jsm.streams.add({ name: `${ns}-events`, subjects: [`${ns}.evt.>`] });
        for (const bucket of ['auth', 'runners', 'commands']) await new Kvm(nc).create(`${ns}-${bucket}`);
      }
      await deleteNamespace(mine);
      const names: string[] = [];
      for await (const n of jsm.streams.names()) names.push(n);
      expect(names.filter((n) => n.includes(mine))).toEqual([]);
      expect(names.filter((n) => n.includes(other)).sort()).toEqual(
        [`${other}-events`, `KV_${other}-auth`, `KV_${other}-commands`, `KV_${other}-runners`].sort(),
      );
    } finally {
      await nc.close();
      await deleteNamespace(other);
    }
  });
});
