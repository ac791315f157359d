import type { KV } from '@nats-io/kv';
import { deleteNamespace, uniqueName, NATS_URL } from '@runtrail/testing';
import pino from 'pino';
import { NatsClient, kvCreateOnce } from '../src';

describe('kvCreateOnce (real JetStream KV)', () => {
  let client: NatsClient;
  let kv: KV;
  const namespace = uniqueName('once');

  beforeAll(async () => {
    client = await NatsClient.connect({ servers: [NATS_URL], name: 'kv-create-once-test' }, pino({ level: 'silent' }));
    kv = await client.kvm.create(`${namespace}-once`);
  });

  afterAll(async () => {
    await client.close();
    await deleteNamespace(namespace);
  });

  it('lets replicas starting together agree on one value, and tells the one that made it', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((v) => kvCreateOnce(kv, 'secret', () => v)));
    const kept = (await kv.get('secret'))!.string();
    expect(results.map((r) => r.entry.string())).toEqual([kept, kept, kept, kept]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.find((r) => r.created)!.entry.string()).toBe(kept);
    expect((await kvCreateOnce(kv, 'secret', () => 'later')).created).toBe(false);
  });

  it('waits out a bucket that refuses its first reads and writes, as a new replicated bucket may', async () => {
    let refusals = 2;
    const unsettled = new Proxy(kv, {
      get(target, name) {
        const real = Reflect.get(target, name, target) as unknown;
        if (name !== 'get' && name !== 'create') return real;
        return (...args: unknown[]) => {
          if (refusals-- > 0) return Promise.reject(new Error('no responders'));
          return (real as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const result = await kvCreateOnce(unsettled, 'after-election', () => 'value');
    expect(result).toMatchObject({ created: true });
    expect((await kv.get('after-election'))!.string()).toBe('value');
  });
});
