import { PostgresServer, faultTable, runScenario, startTestStack, stopPostgres, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The short run of the Postgres fault (`npm run test:faults` stops it for 30 s): the stack's
 * private Postgres stopped for 8 s under load from three tenants. The gateway keeps
 * answering 202, the projector is not ready and holds its batch (no redelivery, although
 * the 3 s ack wait is far shorter than the outage; bounded retries), then catches up:
 * every acknowledged event is stored once.
 */
describe('faults: Postgres stopped under load', () => {
  let pg: PostgresServer;
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    pg = await PostgresServer.start();
    t = await startTestStack('e2epgstop', { PROJECTOR_ACK_WAIT_SECONDS: '3' }, { postgresAdminUrl: pg.adminUrl });
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
    await pg?.destroy();
  });

  it('keeps accepting, holds the projector without redeliveries, catches up, and loses and duplicates nothing', async () => {
    const result = await runScenario({ name: 'Postgres stopped 8 s', stack: t, tenants: 3, inject: stopPostgres(pg, 8000, 1500) });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 180_000);
});
