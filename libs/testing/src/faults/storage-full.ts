import { eventually } from '../http';
import type { NatsServerProcess } from '../nats-server';
import type { TestStack } from '../test-stack';
import type { SubmittedEvent } from './classify';
import { expectThat, pause, probe } from './observe';
import type { InjectedEvents } from './scenario';

/**
 * A fault: JetStream out of storage. The stack's private server starts with a small
 * `max_file_store`; the load fills it, and from then on the gateway answers 503 (a probe
 * every 200 ms for `fullMs`; a 202 only for what was stored, which the classification
 * checks). Then space is freed the one way the record allows (the stream denies deletes and
 * purges, ADR 0002): the server is restarted with `biggerLimit`, and the gateway answers 202
 * again by itself. Keys are made before the storage fills (the key bucket needs it too).
 */
export function fillStorage(server: NatsServerProcess, biggerLimit: string, fullMs = 3000): (stack: TestStack) => Promise<InjectedEvents> {
  return async (stack) => {
    const key = await stack.createKey('faults-probe', ['events:write'], 'probe');
    const probes: SubmittedEvent[] = [];
    const submit = async () => {
      const { status, eventId } = await probe(stack, key);
      probes.push({ id: eventId, acknowledged: status === 202 });
      return status;
    };
    await eventually(async () => ((await submit()) === 503 ? true : undefined), 120_000, 'a 503 once JetStream is out of storage');
    const statuses: number[] = [];
    for (const ends = Date.now() + fullMs; Date.now() < ends; ) {
      statuses.push(await submit());
      await pause(200);
    }
    expectThat(statuses.filter((s) => s === 503).length >= statuses.length / 2, `mostly 503 while storage is full, got ${statuses.join(' ')}`);
    expectThat(statuses.every((s) => s === 503 || s === 202), `only 503 or (for what was stored) 202 while storage is full, got ${statuses.join(' ')}`);
    await server.stop();
    server.setJetStream(`max_file_store: ${biggerLimit}`);
    await server.start();
    await eventually(async () => ((await submit()) === 202 ? true : undefined), 60_000, 'a 202 once JetStream has space again');
    await pause(2000);
    return { audit: probes };
  };
}
