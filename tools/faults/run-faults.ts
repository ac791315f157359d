/**
 * `npm run test:faults` (issue 14, docs/reliability.md): load from several tenants, with
 * clients that retry with the same ids, while faults are injected; then every event is
 * classified (ok, lost, duplicated, unknown, unexpected) and the table printed. Exits 1 when
 * any scenario lost or duplicated an event. `npm test` runs a short version
 * (e2e/src/faults/short-faults.spec.ts).
 */
import {
  NatsCluster,
  NatsServerProcess,
  PostgresServer,
  deleteStream,
  faultTable,
  fillStorage,
  killRepeatedly,
  poisonAmongGood,
  resendAfterWindow,
  restartRolling,
  runScenario,
  startTestStack,
  stopPostgres,
  type ScenarioResult,
} from '@runtrail/testing';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (message: string) => console.error(`[faults] ${message}`);

async function onOneServer(results: ScenarioResult[]): Promise<void> {
  const stack = await startTestStack('faults');
  try {
    log('projector: SIGKILL six times, mid-batch');
    results.push(await runScenario({ name: 'projector SIGKILL x6', stack, tenants: 4, inject: killRepeatedly('projector', 6, 2000) }));
    log('gateway: SIGKILL four times under load');
    results.push(await runScenario({ name: 'gateway SIGKILL x4', stack, tenants: 4, inject: killRepeatedly('ingest', 4, 2000) }));
    log('the event stream deleted for 10 s under load, then restored with its sequences');
    results.push(await runScenario({ name: 'stream deleted and restored', stack, tenants: 4, inject: deleteStream(10_000, 3000) }));
    log('poison messages among good ones: dead-lettered, then the fixable ones replayed');
    results.push(await runScenario({ name: 'poison among good x5', stack, tenants: 4, inject: poisonAmongGood(5, 1000) }));
  } finally {
    await stack.stop();
  }
}

/**
 * On a private Postgres, with the broker's duplicate window at its shortest (2 s) so clients'
 * retries and the re-send fall outside it, and a 5 s ack wait so a batch let go during the
 * outage would be redelivered within it.
 */
async function onAPrivatePostgres(results: ScenarioResult[]): Promise<void> {
  const pg = await PostgresServer.start();
  const stack = await startTestStack('faultspg', { STREAM_DUPLICATE_WINDOW_SECONDS: '2', PROJECTOR_ACK_WAIT_SECONDS: '5' }, { postgresAdminUrl: pg.adminUrl });
  try {
    log('Postgres stopped for 30 s under load');
    results.push(await runScenario({ name: 'Postgres stopped 30 s', stack, tenants: 4, inject: stopPostgres(pg, 30_000) }));
    log('rolling restart of every service, three rounds, under load');
    results.push(await runScenario({ name: 'rolling restart x3', stack, tenants: 4, inject: restartRolling(3, 2000) }));
    log('the same events re-sent after the 2 s duplicate window');
    results.push(await runScenario({ name: 're-sent after the dup window', stack, tenants: 4, inject: resendAfterWindow(2, 500) }));
  } finally {
    await stack.stop();
    await pg.destroy();
  }
}

/** On a private NATS server with a 16 MB storage limit, filled by the load, then raised. */
async function onASmallServer(results: ScenarioResult[]): Promise<void> {
  const nats = await NatsServerProcess.start({ jetstream: 'max_file_store: 16MB' });
  const stack = await startTestStack('faultsfull', { NATS_URL: nats.url });
  try {
    log('JetStream out of storage (16 MB), full for 10 s, then a 256 MB limit');
    results.push(await runScenario({ name: 'JetStream out of storage', stack, tenants: 4, inject: fillStorage(nats, '256MB', 10_000) }));
  } finally {
    await stack.stop();
    await nats.destroy();
  }
}

async function onACluster(results: ScenarioResult[]): Promise<void> {
  const cluster = await NatsCluster.start(3);
  const stack = await startTestStack('faultsr3', { NATS_URL: cluster.url, STREAM_REPLICAS: '3' });
  try {
    log('three-node cluster: the stream leader SIGKILLed, then a second node (no quorum), then both back');
    results.push(
      await runScenario({
        name: 'cluster: leader, then quorum lost',
        stack,
        tenants: 4,
        async inject() {
          await pause(2000);
          const leader = await cluster.leaderOf(`${stack.namespace}-events`);
          await leader.stop('SIGKILL');
          await pause(4000);
          const second = cluster.nodes.find((n) => n !== leader) as NatsCluster['nodes'][number];
          await second.stop('SIGKILL');
          await pause(4000);
          await leader.start();
          await second.start();
          await cluster.jetStreamReady();
          await pause(3000);
        },
      }),
    );
  } finally {
    await stack.stop();
    await cluster.destroy();
  }
}

async function main(): Promise<void> {
  const results: ScenarioResult[] = [];
  await onOneServer(results);
  await onAPrivatePostgres(results);
  await onASmallServer(results);
  await onACluster(results);
  console.log(`\nRuntrail fault suite: every event classified after the faults\n\n${faultTable(results)}\n`);
  const bad = results.filter((r) => r.lost > 0 || r.duplicated > 0);
  if (bad.length) {
    console.log(`lost or duplicated events in: ${bad.map((r) => `${r.scenario} (${r.offenders.slice(0, 5).join(', ')})`).join('; ')}`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  console.error(`[faults] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
