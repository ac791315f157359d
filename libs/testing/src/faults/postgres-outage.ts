import type { PostgresServer } from '../postgres-server';
import type { TestStack } from '../test-stack';
import type { SubmittedEvent } from './classify';
import type { InjectedEvents } from './scenario';
import { expectThat, metric, pause, probe, readiness, redeliveries } from './observe';

/**
 * A fault: the stack's private Postgres stopped (`fast`: open transactions rolled back,
 * every connection dropped) for `outageMs`, with `everyMs` of load before and after.
 * Through the outage the gateway keeps answering 202 (it needs no database; a probe every
 * second), the projector reports not ready and holds its batch instead of letting it be
 * redelivered (no redelivery, and its retries back off: at most one per 5 s once the
 * backoff is at its cap), and once Postgres is back it is ready again and catches up.
 */
export function stopPostgres(pg: PostgresServer, outageMs: number, everyMs = 2000): (stack: TestStack) => Promise<InjectedEvents> {
  return async (stack) => {
    const key = await stack.createKey('faults-probe', ['events:write'], 'probe');
    const probes: SubmittedEvent[] = [];
    await pause(everyMs);
    const redeliveredBefore = await redeliveries(stack);
    const retriesBefore = await metric(stack.projectorUrl, 'runtrail_projector_batch_retries_total');
    await pg.stop('fast');
    const ends = Date.now() + outageMs;
    while (Date.now() < ends) {
      const { status, eventId } = await probe(stack, key);
      probes.push({ id: eventId, acknowledged: status === 202 });
      expectThat(status === 202, `the gateway to answer 202 while Postgres is down, not ${status}`);
      await pause(1000);
    }
    const projector = await readiness(stack.projectorUrl);
    expectThat(projector.status === 503 && projector.checks.postgres === false, `the projector not ready (postgres: false) during the outage, got ${JSON.stringify(projector)}`);
    const retries = (await metric(stack.projectorUrl, 'runtrail_projector_batch_retries_total')) - retriesBefore;
    await pg.start();
    await stack.stack.services.projector.waitReady(60_000);
    await pause(everyMs);
    // The backoff reaches its 5 s cap after about 7 s: one retry per 5 s from then on, plus the ramp.
    expectThat(retries >= 1, 'the projector to have held a batch and retried it during the outage');
    expectThat(retries <= outageMs / 5000 + 8, `at most ${Math.floor(outageMs / 5000 + 8)} batch retries in a ${outageMs} ms outage, got ${retries}`);
    const redelivered = (await redeliveries(stack)) - redeliveredBefore;
    expectThat(redelivered === 0, `no redelivery through the Postgres outage, got ${redelivered}`);
    return { audit: probes };
  };
}
