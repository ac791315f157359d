import { faultTable, resendAfterWindow, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The same events re-sent after JetStream's duplicate window (here its minimum-sized 2 s),
 * under load whose clients retry with the same ids: the broker stores them again, and the
 * tables and integrity log hold each once (issue 14, docs/reliability.md).
 */
describe('faults: re-sent after the duplicate window', () => {
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    t = await startTestStack('e2eresend', { STREAM_DUPLICATE_WINDOW_SECONDS: '2' });
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
  });

  it('stores each event once in the tables and the integrity log', async () => {
    const result = await runScenario({ name: 're-sent after a 2 s window', stack: t, tenants: 3, inject: resendAfterWindow(2, 100) });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThanOrEqual(200);
  }, 120_000);
});
