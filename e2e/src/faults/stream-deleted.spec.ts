import { deleteStream, faultTable, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The event stream deleted under the running services, then restored (issue 14,
 * docs/reliability.md): the gateway answers 503 and never 202 while it is gone, the projector
 * reports not ready and logs an error once; once the stream is restored with its sequences,
 * the projector makes its consumer again, reads it from the start without adding a log entry
 * twice, and every acknowledged event is stored once.
 */
describe('faults: the stream deleted and restored', () => {
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    t = await startTestStack('e2egone');
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
  });

  it('answers 503 while it is gone, recovers once it is restored, and loses and duplicates nothing', async () => {
    const result = await runScenario({ name: 'stream deleted and restored', stack: t, tenants: 3, inject: deleteStream(3000, 2000) });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
    expect(result.unknown).toBeGreaterThan(0);
  }, 120_000);
});
