import type { PostgresServer } from '../postgres-server';
import type { TestStack } from '../test-stack';
import type { SubmittedEvent } from './classify';
import type { InjectedEvents } from './scenario';
import { STREAM_PARTITIONS } from '@runtrail/contracts';
import { eventually } from '../http';
import { expectThat, metric, pause, probe, readiness, redeliveries } from './observe';

/**
 * A fault: the stack's private Postgres stopped (`fast`: open transactions rolled back,
 * every connection dropped) for `outageMs`, with `everyMs` of load before and after.
 * Through the outage the gateway keeps answering 202 (it needs no database; a probe every
 * second), the projector reports not ready and gives up its partitions (it cannot hold
 * their locks without its session, ADR 0019) and says so in a bounded number of lines, and
 * once Postgres is back it is ready again, takes every partition back and resumes each at
 * its committed checkpoint: no message is delivered twice.
 */
export function stopPostgres(pg: PostgresServer, outageMs: number, everyMs = 2000): (stack: TestStack) => Promise<InjectedEvents> {
  return async (stack) => {
    const key = await stack.createKey('faults-probe', ['events:write'], 'probe');
    const probes: SubmittedEvent[] = [];
    await pause(everyMs);
    const redeliveredBefore = await redeliveries(stack);
    const projector = stack.stack.services.projector;
    const linesBefore = outageLines(projector.output);
    await pg.stop('fast');
    const ends = Date.now() + outageMs;
    while (Date.now() < ends) {
      const { status, eventId } = await probe(stack, key);
      probes.push({ id: eventId, acknowledged: status === 202 });
      expectThat(status === 202, `the gateway to answer 202 while Postgres is down, not ${status}`);
      await pause(1000);
    }
    const ready = await readiness(stack.projectorUrl);
    expectThat(ready.status === 503 && ready.checks.postgres === false, `the projector not ready (postgres: false) during the outage, got ${JSON.stringify(ready)}`);
    const ownedDuring = await metric(stack.projectorUrl, 'runtrail_projector_partitions_owned');
    expectThat(ownedDuring === 0, `the projector to have given up its partitions during the outage, it still owns ${ownedDuring}`);
    await pg.start();
    await projector.waitReady(60_000);
    await eventually(async () => ((await metric(stack.projectorUrl, 'runtrail_projector_partitions_owned')) === STREAM_PARTITIONS.length ? true : undefined), 30_000, 'every partition taken back');
    await pause(everyMs);
    // The loss once, then a reminder a minute while it lasts, and the end once.
    const lines = outageLines(projector.output) - linesBefore;
    expectThat(lines >= 1 && lines <= 3 + outageMs / 60_000, `a few lines about the outage, not one per attempt: got ${lines} in ${outageMs} ms`);
    const redelivered = (await redeliveries(stack)) - redeliveredBefore;
    expectThat(redelivered === 0, `no redelivery through the Postgres outage, got ${redelivered}`);
    return { audit: probes };
  };
}

/** The projector's lines about its partitions while Postgres is away. */
function outageLines(output: string): number {
  return (output.match(/partitions: (lost the session holding them|cannot rebalance|rebalancing again)/g) ?? []).length;
}
