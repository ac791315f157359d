import { faultTable, killRepeatedly, poisonAmongGood, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The short run of the fault suite in every `npm test` (the full one is `npm run test:faults`):
 * load from three tenants while the projector and then the gateway are SIGKILLed and
 * restarted, and while poison messages flow among the good ones (dead-lettered, then the
 * fixable ones replayed); every event acknowledged is stored once, none twice.
 */
describe('faults, short run', () => {
  let t: TestStack;
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    t = await startTestStack('e2efaults');
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
  });

  it.each([
    ['loses and duplicates nothing when the projector is killed mid-batch, again and again', 'projector SIGKILL x3', killRepeatedly('projector', 3, 1500)],
    ['loses and duplicates nothing when the gateway is killed under load', 'gateway SIGKILL x2', killRepeatedly('ingest', 2, 1500)],
    ['dead-letters poison messages among good ones and replays the fixable ones once fixed', 'poison among good x2', poisonAmongGood(2, 500)],
  ])('%s', async (_title, name, inject) => {
    const result = await runScenario({ name, stack: t, tenants: 3, inject });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 240_000);
});
