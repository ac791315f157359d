import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { Stack, freePort } from '@runtrail/launcher';
import { NATS_URL, deleteNamespace, dropDatabase, request, testEnv, uniqueName } from '@runtrail/testing';

/** Everything stored in a namespace's key bucket, as text. */
async function bucketContents(namespace: string): Promise<string> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const kv = await new Kvm(nc).open(`${namespace}-auth`);
    const parts: string[] = [];
    for await (const k of await kv.keys()) parts.push(k, (await kv.get(k))?.string() ?? '');
    return parts.join('\n');
  } finally {
    await nc.close();
  }
}

describe('root key generated on first start (RUNTRAIL_ADMIN_KEY unset)', () => {
  const namespace = uniqueName('rootkey');
  const env = { ...testEnv(namespace, namespace, 'unused'), RUNTRAIL_ADMIN_KEY: '' };
  let stack: Stack;

  const start = async () => {
    stack = new Stack({ env, ports: { ingest: await freePort(), projector: await freePort(), query: await freePort() }, output: 'collect' });
    await stack.start();
  };

  afterAll(async () => {
    await stack?.stop();
    await dropDatabase(namespace);
    await deleteNamespace(namespace);
  });

  it('is printed once, works as root on every service, and only its hash is kept', async () => {
    await start();
    const printed = Object.values(stack.services).map((s) => s.output.match(/rt_[0-9A-Za-z]{40}/g) ?? []);
    const keys = printed.flat();
    expect(keys).toHaveLength(1); // one service generated it, the others found it
    const [root] = keys;

    const created = await request<{ key: string }>('POST', `${stack.services.query.url}/v1/api-keys`, {
      key: root,
      body: { tenantId: 'acme', name: 'ci', principalType: 'Application', scopes: ['audit:read'] },
    });
    expect(created.status).toBe(201);
    // ingest knows it too: root is refused as a submitter (403), not unknown (401)
    const asSubmitter = await request('POST', `${stack.services.ingest.url}/v1/audit-events`, { key: root, body: {} });
    expect(asSubmitter.status).toBe(403);
    expect((await request('GET', `${stack.services.query.url}/v1/audit`, { key: `rt_${randomBytes(20).toString('hex').slice(0, 40)}` })).status).toBe(401);

    // Neither the root key nor a tenant key is stored in the clear; the logs never carry them.
    const stored = await bucketContents(namespace);
    expect(stored).not.toContain(root.slice(3));
    expect(stored).not.toContain(created.body.key.slice(3));
    const logs = Object.values(stack.services).map((s) => s.output).join('\n');
    expect(logs).not.toContain(created.body.key);
    expect(logs.split(root).length - 1).toBe(1); // only the one banner on stderr

    // A restart finds the key: nothing is printed again, and it still works.
    await stack.stop();
    await start();
    expect(Object.values(stack.services).some((s) => /rt_[0-9A-Za-z]{40}/.test(s.output))).toBe(false);
    expect((await request('GET', `${stack.services.query.url}/v1/api-keys`, { key: root })).status).toBe(200);
  }, 120_000);
});
