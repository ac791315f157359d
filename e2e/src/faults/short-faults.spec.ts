import { faultTable, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The short run of the fault suite in every `npm test` (the full one is `npm run test:faults`):
 * load from three tenants while the projector and then the gateway are SIGKILLed and
 * restarted; every event acknowledged is stored once, none twice.
 */
describe('faults, short run', () => {
  let t: TestStack;
  const results: ScenarioResult[] = [];
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    t = await startTestStack('e2efaults');
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await t?.stop();
  });

  it('loses and duplicates nothing when the projector is killed mid-batch, again and again', async () => {
    const result = await runScenario({
      name: 'projector SIGKILL x3',
      stack: t,
      tenants: 3,
      async inject(stack) {
        for (let i = 0; i < 3; i++) {
          // Load runs between the kills: the pause is the length of the fault scenario, not a wait for a condition.
          await pause(1500);
          await stack.stack.services.projector.stop('SIGKILL');
          stack.stack.services.projector.start();
          await stack.stack.services.projector.waitReady(60_000);
        }
        await pause(1000);
      },
    });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 240_000);

  it('loses and duplicates nothing when the gateway is killed under load', async () => {
    const result = await runScenario({
      name: 'gateway SIGKILL x2',
      stack: t,
      tenants: 3,
      async inject(stack) {
        for (let i = 0; i < 2; i++) {
          await pause(1500);
          await stack.stack.services.ingest.stop('SIGKILL');
          stack.stack.services.ingest.start();
          await stack.stack.services.ingest.waitReady(60_000);
        }
        await pause(1000);
      },
    });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
  }, 240_000);
});
