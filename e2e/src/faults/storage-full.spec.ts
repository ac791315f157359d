import { NatsServerProcess, faultTable, fillStorage, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * JetStream out of storage (issue 14, docs/reliability.md): a private server with an 8 MB
 * `max_file_store`, filled by load from three tenants. The gateway answers 503 and never a
 * 202 for what was not stored; with a larger limit (a restart: nats-server does not reload
 * storage limits) it answers 202 again, and every acknowledged event is stored once.
 */
describe('faults: JetStream out of storage', () => {
  let nats: NatsServerProcess;
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    nats = await NatsServerProcess.start({ jetstream: 'max_file_store: 8MB' });
    t = await startTestStack('e2efull', { NATS_URL: nats.url });
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
    await nats?.destroy();
  });

  it('answers 503 while full, 202 again once there is space, and loses and duplicates nothing', async () => {
    const result = await runScenario({ name: 'JetStream out of storage', stack: t, tenants: 3, inject: fillStorage(nats, '64MB') });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
    expect(result.unknown).toBeGreaterThan(0);
  }, 240_000);
});
