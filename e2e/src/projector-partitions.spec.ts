import { STREAM_PARTITIONS } from '@runtrail/contracts';
import { ServiceProcess } from '@runtrail/launcher';
import { eventually, faultTable, freePort, metric, pause, runScenario, startTestStack, type ScenarioResult, type TestStack } from '@runtrail/testing';

/**
 * The projector scaled out (ADR 0019): three instances on one stack share the stream's
 * partitions through Postgres advisory locks, each partition held by one of them; one is
 * killed under load from ten tenants, the other two take its partitions and resume them at
 * their committed checkpoints, and every acknowledged event is stored exactly once, with
 * its log entry.
 */
describe('projector instances sharing the stream by partition', () => {
  let t: TestStack;
  const extra: ServiceProcess[] = [];
  const results: ScenarioResult[] = [];

  beforeAll(async () => {
    t = await startTestStack('e2eparts');
    for (let i = 0; i < 2; i++) {
      const projector = new ServiceProcess({ name: 'projector', port: await freePort(), env: t.env, output: 'collect' });
      projector.start();
      extra.push(projector);
    }
    await Promise.all(extra.map((p) => p.waitReady()));
  }, 120_000);

  afterAll(async () => {
    if (results.length) console.log(faultTable(results));
    await Promise.all(extra.map((p) => p.stop()));
    await t?.stop();
  });

  const owned = (url: string) => metric(url, 'runtrail_projector_partitions_owned');

  /** Who holds which partition's lock: one row per lock the projectors' sessions hold. */
  const locks = () =>
    t.query<{ pid: number; partition: number }>(
      `SELECT l.pid, l.objid::int AS partition FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.application_name LIKE 'runtrail-partitions-%'`,
    );

  it('gives each instance a share, each partition to one instance', async () => {
    const urls = [t.projectorUrl, ...extra.map((p) => p.url)];
    await eventually(async () => {
      const shares = await Promise.all(urls.map(owned));
      return shares.every((n) => n >= 5) && shares.reduce((a, b) => a + b, 0) === STREAM_PARTITIONS.length ? shares : undefined;
    }, 30_000, 'the partitions spread over three instances');
    const held = await locks();
    expect(new Set(held.map((l) => l.pid)).size).toBe(3);
    expect(held.map((l) => l.partition).sort((a, b) => a - b)).toEqual(STREAM_PARTITIONS.map((_, i) => i));
  });

  it('moves a killed instance\'s share to the others, and stores every acknowledged event once', async () => {
    const [victim, survivor] = extra;
    const result = await runScenario({
      name: 'projector instance SIGKILL of 3',
      stack: t,
      tenants: 10,
      inject: async () => {
        await pause(3000);
        const share = await owned(victim.url);
        expect(share).toBeGreaterThan(0);
        await victim.stop('SIGKILL');
        await eventually(async () => {
          const shares = await Promise.all([owned(t.projectorUrl), owned(survivor.url)]);
          return shares[0] + shares[1] === STREAM_PARTITIONS.length ? true : undefined;
        }, 30_000, 'the survivors taking the dead instance\'s partitions');
        await pause(3000);
      },
    });
    results.push(result);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(result.ok).toBeGreaterThan(0);
    expect(new Set((await locks()).map((l) => l.pid)).size).toBe(2);
  }, 180_000);
});
